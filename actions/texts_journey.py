"""What the citizen reads about reminders, their data and case codes (Indonesian, English).

Merged into :data:`actions.texts.TEXTS`; kept apart so that each file stays readable.
"""

from __future__ import annotations

JOURNEY_TEXTS: dict[str, dict[str, str]] = {
    "reminder_offer": {
        "id": "Layanan {title} punya batas waktu. Mau saya ingatkan lewat chat ini sebelum "
        "batas waktunya? Saya hanya menyimpan tanggalnya dan chat ini; Anda bisa berhenti "
        'kapan saja dengan membalas "berhenti".',
        "en": "The {title} has a deadline. Shall I remind you in this chat before it? I only "
        'keep the date and this chat; you can stop any time by replying "stop".',
    },
    "reminder_yes": {"id": "Ya, ingatkan saya", "en": "Yes, remind me"},
    "reminder_no": {"id": "Tidak usah", "en": "No, thanks"},
    "reminder_declined": {
        "id": "Baik, tidak ada pengingat. Silakan bertanya lagi kapan saja.",
        "en": "All right, no reminder. Ask again any time.",
    },
    "reminder_ask_date": {
        "id": "Baik. Kapan {counted_from}? Tulis tanggalnya, misalnya 3 Desember 2026 atau 03/12/2026.",
        "en": "Sure. When is {counted_from}? Write the date, for example 3 December 2026 or 03/12/2026.",
    },
    "reminder_date_again": {
        "id": "Maaf, tanggalnya belum terbaca. Tulis misalnya 3 Desember 2026 atau 03/12/2026, "
        'atau balas "tidak usah".',
        "en": 'Sorry, I could not read the date. Write for example 3 December 2026 or 03/12/2026, or reply "no".',
    },
    "reminder_set": {
        "id": "Siap. Batas waktu {title}: {due}. Saya akan mengingatkan di chat ini pada {dates}. "
        'Balas "berhenti" kapan saja untuk menghentikan dan menghapus pengingat.',
        "en": "Done. The deadline for the {title} is {due}. I will remind you in this chat on "
        '{dates}. Reply "stop" any time to stop and delete the reminders.',
    },
    "reminder_past": {
        "id": "Batas waktu {title} sudah lewat ({due}), jadi tidak ada pengingat. Biasanya masih "
        "bisa diurus; tanyakan syarat keterlambatannya ke kantor layanannya.",
        "en": "The deadline for the {title} has passed ({due}), so there is no reminder. It can "
        "usually still be done; ask the service office about the late procedure.",
    },
    "reminder_stopped": {
        "id": "Pengingat dihentikan dan persetujuan Anda dicabut; {n} jadwal pengingat sudah dihapus.",
        "en": "Reminders stopped and your consent withdrawn; {n} scheduled reminders deleted.",
    },
    "reminder_none": {
        "id": "Tidak ada pengingat yang aktif untuk chat ini.",
        "en": "There are no active reminders for this chat.",
    },
    "reminder_done": {
        "id": "Bagus, selamat! Pengingat {title} saya hentikan.",
        "en": "Great, well done! I have stopped the reminders for the {title}.",
    },
    "reminder_snoozed": {
        "id": "Baik, saya ingatkan lagi besok pagi.",
        "en": "All right, I will remind you again tomorrow morning.",
    },
    "reminder_unavailable": {
        "id": "Maaf, pengingat sedang tidak bisa diproses. Silakan coba lagi sebentar lagi.",
        "en": "Sorry, reminders cannot be handled right now. Please try again in a moment.",
    },
    "privacy": {
        "id": "Yang disimpan tentang chat ini:\n• Percakapan dengan bot (untuk menjawab dan "
        "untuk petugas bila Anda meminta petugas)\n• {consent}\n• Pengingat:\n{reminders}\n{region}\n"
        'Balas "berhenti" untuk menghapus pengingat, atau /reset (Telegram) untuk memulai '
        "percakapan baru.",
        "en": "What is stored about this chat:\n• The conversation with the bot (to answer, and "
        "for an agent when you ask for one)\n• {consent}\n• Reminders:\n{reminders}\n{region}\n"
        'Reply "stop" to delete the reminders, or /reset (Telegram) to start a new conversation.',
    },
    "privacy_consent": {
        "id": "Persetujuan pengingat (waktu, kata-kata tawaran, kanal)",
        "en": "Your reminder consent (time, the offer's words, channel)",
    },
    "privacy_no_consent": {
        "id": "Tidak ada persetujuan pengingat",
        "en": "No reminder consent",
    },
    "privacy_region": {
        "id": "• Kode daerah yang Anda sebut: {region}",
        "en": "• The region code you mentioned: {region}",
    },
    "case_code": {
        "id": "Kode kasus Anda: {code} (berlaku {days} hari). Tunjukkan kode ini di loket MPP "
        "atau sebutkan ke petugas, supaya Anda tidak perlu menjelaskan ulang. Kode ini tidak "
        "menyimpan nama atau nomor Anda.",
        "en": "Your case code: {code} (valid {days} days). Show it at the public service mall "
        "counter or tell it to an agent, so you need not explain again. It keeps no name or "
        "number of yours.",
    },
    "case_documents": {"id": "Dokumen yang dibawa:", "en": "Documents to bring:"},
    "case_unavailable": {
        "id": "Maaf, kode kasus sedang tidak bisa dibuat. Silakan coba lagi sebentar lagi.",
        "en": "Sorry, a case code cannot be made right now. Please try again in a moment.",
    },
}
