"""Everything the bot says that does not come from the knowledge base, in id and en."""

from __future__ import annotations

from typing import Literal

from actions.texts_journey import JOURNEY_TEXTS

Lang = Literal["id", "en"]

TEXTS: dict[str, dict[str, str]] = {
    "greet": {
        "id": "Halo! Saya Navigator, pemandu layanan publik. Ceritakan apa yang sedang "
        'Anda alami, misalnya "anak saya baru lahir" atau "cara bikin NPWP", atau '
        "pilih salah satu di bawah.",
        "en": "Hello! I am Navigator, a guide to Indonesian public services. Tell me what "
        'is happening, for example "my baby was just born" or "how to get a tax '
        'number", or pick one below.',
    },
    "help": {
        "id": "Saya membantu mengurus layanan publik menurut peristiwa hidup: kelahiran, "
        "sekolah, kerja, usaha, pensiun, menikah, pindah, dan kematian. Saya jelaskan "
        "syarat, langkah, biaya, lama proses, tempat dan sumbernya. Mau mulai dari mana?",
        "en": "I help with public services by life event: birth, school, work, business, "
        "retirement, marriage, moving and death. I explain requirements, steps, fees, "
        "processing time, where to go and the source. Where would you like to start?",
    },
    "thank": {
        "id": "Sama-sama! Kalau ada yang mau ditanyakan lagi, tulis saja.",
        "en": "You're welcome! Write any time you have another question.",
    },
    "goodbye": {
        "id": "Sampai jumpa, semoga urusannya lancar!",
        "en": "Goodbye, good luck with your paperwork!",
    },
    "out_of_scope": {
        "id": "Maaf, saya hanya bisa membantu urusan layanan publik, misalnya akta "
        "kelahiran, KTP, NPWP, izin usaha, BPJS, nikah, pindah domisili, atau pensiun. "
        "Ceritakan urusan Anda dan saya tunjukkan langkahnya.",
        "en": "Sorry, I can only help with public services such as birth certificates, "
        "ID cards, tax numbers, business permits, social security, marriage, moving or "
        "pensions. Tell me what you need to arrange and I will show you the steps.",
    },
    "clarify": {
        "id": "Maaf, saya belum yakin maksud Anda. Apakah ini tentang salah satu dari ini?",
        "en": "Sorry, I am not sure what you mean. Is it about one of these?",
    },
    "clarify_service": {
        "id": "Maksud Anda yang mana?",
        "en": "Which one do you mean?",
    },
    "no_focus": {
        "id": "Tentang layanan apa? Sebutkan dokumennya (misalnya akta kelahiran, "
        "paspor, NPWP) atau pilih peristiwa yang sedang Anda alami.",
        "en": "About which service? Name the document (for example birth certificate, "
        "passport, tax number) or pick what is happening to you.",
    },
    "journey_intro": {
        "id": "Ini urutan layanan yang biasanya perlu diurus. Pilih salah satu untuk "
        "melihat syarat, langkah dan biayanya:",
        "en": "These are the services usually needed, in order. Pick one to see its "
        "requirements, steps and fees:",
    },
    "journey_ranked": {
        "id": "Ini yang biasanya perlu diurus dulu; pilih untuk melihat syarat, langkah "
        "dan biayanya, atau langsung tanyakan:",
        "en": "These usually come first; pick one to see its requirements, steps and "
        "fees, or just ask:",
    },
    "whole_journey": {"id": "Semua layanan ({n})", "en": "All services ({n})"},
    "also": {"id": "Mungkin juga:", "en": "You may also need:"},
    "next_is": {
        "id": "Setelah {done}, langkah berikutnya biasanya {next}.",
        "en": "After the {done}, the next step is usually the {next}.",
    },
    "journey_done": {
        "id": "{done} adalah langkah terakhir di urutan ini. Ini seluruh urutannya:",
        "en": "The {done} is the last step of this journey. Here is the whole journey:",
    },
    "late_unknown": {
        "id": "Untuk {title}, aturan keterlambatan atau kehilangan berbeda per daerah. "
        "Tanyakan langsung ke kantor layanannya.",
        "en": "For the {title}, rules on late, lost or expired documents differ by "
        "region. Ask the service office directly.",
    },
    "calm": {
        "id": "Maaf kalau jawaban saya belum membantu. Saya ingin membantu urusan Anda: "
        'ceritakan apa yang perlu diurus, atau ketik "petugas" untuk bicara dengan manusia.',
        "en": "Sorry if my answers have not helped yet. I would like to help: tell me what "
        'you need to arrange, or type "agent" to talk to a person.',
    },
    "offer_human": {
        "id": "Sepertinya saya belum bisa membantu dengan baik. Anda bisa bicara dengan "
        'petugas: ketik "petugas", atau hubungi Halo Dukcapil 1500537, BPJS Kesehatan 165, '
        "BPJS Ketenagakerjaan 175, atau sampaikan pengaduan di SP4N-LAPOR! "
        "(https://www.lapor.go.id, SMS 1708).",
        "en": "It seems I have not been able to help well. You can talk to a person: type "
        '"agent", or call Halo Dukcapil 1500537, BPJS Kesehatan 165, BPJS '
        "Ketenagakerjaan 175, or file a complaint with SP4N-LAPOR! (https://www.lapor.go.id, "
        "SMS 1708).",
    },
    "not_on_record": {
        "id": "Untuk {title}, {what} belum ada di catatan kami, jadi saya tidak mau "
        "menebak. Silakan cek di sumber resminya: {source}",
        "en": "For the {title}, {what} is not on our record yet, so I will not guess. "
        "Please check the official source: {source}",
    },
    "location": {
        "id": "Terima kasih, lokasinya sudah saya terima. Ini tempat mengurusnya:",
        "en": "Thanks, I got your location. This is where to apply:",
    },
    "region_noted": {
        "id": "Baik, saya catat daerah Anda: {region}. Apa yang ingin Anda urus?",
        "en": "Noted, your region is {region}. What would you like to arrange?",
    },
    "region_offices": {"id": "Di {region}:", "en": "In {region}:"},
    "region_no_data": {
        "id": "Untuk {region} kami belum punya data kantor atau MPP yang sudah dicek, jadi "
        "saya tidak mau menebak. Gunakan tempat di atas, atau cek situs pemerintah daerah Anda.",
        "en": "For {region} we have no checked office or MPP data yet, so I will not guess. "
        "Use the places above, or check your local government's website.",
    },
    "region_ktp": {
        "id": "Anda juga menyebut KTP dari {region}: bila layanan ini harus diurus sesuai "
        "alamat KTP, tanyakan ke kantor layanan di {region}.",
        "en": "You also mentioned an ID card from {region}: if this service must be arranged "
        "where your ID card is registered, ask the service office in {region}.",
    },
    "region_ask": {
        "id": 'Sebutkan kabupaten/kota Anda (misalnya "sy di Sleman") atau kirim lokasi, '
        "agar saya tunjukkan kantor dan MPP di daerah Anda.",
        "en": 'Tell me your city or regency (for example "I live in Sleman") or share your '
        "location, and I will show the offices and the public service mall there.",
    },
    "handoff": {
        "id": "Untuk bicara langsung dengan petugas, Anda bisa menghubungi:\n"
        "• Halo Dukcapil 1500537 (KTP, KK, akta)\n"
        "• BPJS Kesehatan 165, BPJS Ketenagakerjaan 175\n"
        "• Pengaduan layanan publik: SP4N-LAPOR! di https://www.lapor.go.id atau SMS 1708",
        "en": "To talk to a person directly, you can contact:\n"
        "• Halo Dukcapil 1500537 (ID card, family card, certificates)\n"
        "• BPJS Kesehatan 165, BPJS Ketenagakerjaan 175\n"
        "• Complaints about public services: SP4N-LAPOR! at https://www.lapor.go.id or "
        "SMS 1708",
    },
    "handoff_queued": {
        "id": "Baik, saya sambungkan dengan petugas kami. Anda nomor {position} di antrean; "
        "{wait} Petugas akan membalas di percakapan ini. Sambil menunggu, Anda tetap bisa "
        "bertanya kepada saya.",
        "en": "Sure, I am connecting you with one of our agents. You are number {position} "
        "in the queue; {wait} The agent will answer in this chat. Meanwhile you can still "
        "ask me.",
    },
    "handoff_wait": {
        "id": "perkiraan waktu tunggu sekitar {minutes} menit.",
        "en": "the expected wait is about {minutes} minutes.",
    },
    "handoff_wait_unknown": {
        "id": "perkiraan waktu tunggunya belum bisa kami hitung.",
        "en": "we cannot estimate the wait yet.",
    },
    "handoff_closed": {
        "id": "Saat ini belum ada petugas yang bisa membalas langsung di sini ({why}), "
        "jadi saya tidak mau menjanjikan balasan.",
        "en": "No agent can answer here right now ({why}), so I will not promise a reply.",
    },
    "handoff_after_hours": {
        "id": "di luar jam layanan: {hours}",
        "en": "outside office hours: {hours}",
    },
    "handoff_nobody": {
        "id": "tidak ada petugas yang sedang aktif",
        "en": "no agent is online",
    },
    "handoff_service": {
        "id": "Untuk {title}, kantor layanannya: {where}",
        "en": "For the {title}, the service office is: {where}",
    },
}

# One friendly line per life event, said before its journey.
CONFIRM: dict[str, dict[str, str]] = {
    "birth": {
        "id": "Selamat atas kelahiran buah hati Anda!",
        "en": "Congratulations on your new baby!",
    },
    "education": {
        "id": "Semoga lancar sekolah dan pendidikannya!",
        "en": "Good luck with school and studies!",
    },
    "work": {
        "id": "Saya bantu urusan pekerjaan Anda, semoga segera dapat jalan terbaik.",
        "en": "I will help with your work matters; I hope things work out soon.",
    },
    "business": {
        "id": "Mantap, semoga usahanya lancar!",
        "en": "Great, good luck with your business!",
    },
    "old_age": {
        "id": "Saya bantu urusan masa pensiun dan hari tua.",
        "en": "I will help with retirement and old-age matters.",
    },
    "marriage": {
        "id": "Selamat menempuh hidup baru!",
        "en": "Congratulations on your marriage!",
    },
    "moving": {
        "id": "Saya bantu urusan pindah tempat tinggal.",
        "en": "I will help you with moving house.",
    },
    "death": {
        "id": "Turut berduka cita yang sedalam-dalamnya. Saya bantu urusan yang perlu "
        "diselesaikan.",
        "en": "I am very sorry for your loss. I will help with what needs to be done.",
    },
}


# How a reply names a field it has no answer for ("... belum ada di catatan kami").
FIELD_NAMES: dict[str, dict[str, str]] = {
    "deadline": {"id": "batas waktunya", "en": "the deadline"},
    "eligibility": {"id": "siapa yang bisa mengajukan", "en": "who may apply"},
    "benefit": {"id": "besar manfaat yang diterima", "en": "what you receive"},
    "online": {"id": "pengurusan secara online", "en": "applying online"},
    "validity": {"id": "masa berlakunya", "en": "how long it is valid"},
    "proxy": {"id": "apakah bisa diwakilkan", "en": "whether someone else may apply for you"},
}


def field_name(name: str, lang: Lang) -> str:
    """A field's name inside a sentence."""
    return FIELD_NAMES[name]["en" if lang == "en" else "id"]


TEXTS.update(JOURNEY_TEXTS)  # reminders, privacy, case codes (actions/texts_journey.py)


def say(key: str, lang: Lang, **values: str) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled."""
    template = TEXTS[key]["en" if lang == "en" else "id"]
    return template.format(**values) if values else template


def confirm(event_id: str, lang: Lang) -> str:
    """The friendly line that confirms a life event."""
    lines = CONFIRM.get(event_id)
    return lines["en" if lang == "en" else "id"] if lines else ""
