"""The console's own words in Indonesian (default) and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

UiLang = Literal["id", "en"]
UI_LANGS: tuple[UiLang, ...] = ("id", "en")

TEXTS: dict[str, dict[UiLang, str]] = {
    "app_name": {"id": "Navigator · Konsol Agen", "en": "Navigator · Agent Console"},
    "skip": {"id": "Lompat ke isi", "en": "Skip to content"},
    "nav_search": {"id": "Cari", "en": "Search"},
    "nav_events": {"id": "Peristiwa hidup", "en": "Life events"},
    "nav_insight": {"id": "Wawasan editor", "en": "Editors' insight"},
    "nav_api": {"id": "API", "en": "API"},
    "logout": {"id": "Keluar", "en": "Log out"},
    "other_lang": {"id": "English", "en": "Bahasa Indonesia"},
    "search_label": {
        "id": "Kata-kata penelepon (tempel atau ketik)",
        "en": "The caller's words (paste or type)",
    },
    "search_hint": {
        "id": "Contoh: anak saya baru lahir · gmn bikin akte · saya kena PHK. Tekan / untuk fokus.",
        "en": "For example: my baby was just born · how to get a passport. Press / to focus.",
    },
    "search_button": {"id": "Cari", "en": "Search"},
    "detected_event": {"id": "Peristiwa hidup terdeteksi", "en": "Detected life event"},
    "no_event": {"id": "belum jelas", "en": "unclear"},
    "confidence": {"id": "keyakinan", "en": "confidence"},
    "caller_lang": {"id": "bahasa penelepon", "en": "caller's language"},
    "verdict_sure": {"id": "cocok", "en": "good match"},
    "verdict_ask": {
        "id": "kurang yakin: tanyakan lebih lanjut ke penelepon",
        "en": "not sure: ask the caller for more detail",
    },
    "verdict_out_of_scope": {
        "id": "di luar cakupan: belum ada layanan yang cocok",
        "en": "out of scope: no matching service yet",
    },
    "results": {"id": "Layanan teratas", "en": "Top services"},
    "journey": {"id": "Urutan layanan", "en": "Journey"},
    "journey_of": {"id": "Perjalanan", "en": "Journey"},
    "why": {"id": "Mengapa cocok", "en": "Why it matched"},
    "why_none": {"id": "kemiripan makna", "en": "similar meaning"},
    "requirements": {
        "id": "Syarat (centang yang sudah dimiliki)",
        "en": "Requirements (tick what the caller has)",
    },
    "steps": {"id": "Langkah", "en": "Steps"},
    "fee": {"id": "Biaya", "en": "Fee"},
    "time": {"id": "Lama proses", "en": "Processing time"},
    "where": {"id": "Tempat", "en": "Where"},
    "legal": {"id": "Dasar hukum", "en": "Legal basis"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "source": {"id": "sumber", "en": "source"},
    "last_checked": {"id": "Terakhir dicek", "en": "Last checked"},
    "stale": {"id": "perlu dicek ulang", "en": "needs re-checking"},
    "reply": {"id": "Balasan yang disarankan", "en": "Suggested reply"},
    "reply_lang": {"id": "Bahasa balasan", "en": "Reply language"},
    "lang_id": {"id": "Indonesia", "en": "Indonesian"},
    "lang_en": {"id": "Inggris", "en": "English"},
    "copy": {"id": "Salin balasan", "en": "Copy reply"},
    "copied": {"id": "Tersalin", "en": "Copied"},
    "update_reply": {"id": "Perbarui balasan", "en": "Update reply"},
    "chars": {"id": "karakter", "en": "characters"},
    "not_helpful": {"id": "Tidak membantu", "en": "Not helpful"},
    "thanks": {"id": "Terima kasih, dicatat untuk editor.", "en": "Thank you, noted for editors."},
    "open_service": {"id": "Buka halaman layanan", "en": "Open service page"},
    "next_in_journey": {"id": "Berikutnya", "en": "Next"},
    "events_intro": {
        "id": "Pilih peristiwa hidup untuk melihat layanan sesuai urutannya.",
        "en": "Choose a life event to see its services in order.",
    },
    "services": {"id": "layanan", "en": "services"},
    "not_found": {"id": "Tidak ditemukan", "en": "Not found"},
    "bad_input": {"id": "Masukan tidak valid", "en": "Invalid input"},
    "too_long": {
        "id": "Teks terlalu panjang: ringkas kata-kata penelepon (maks. {n} karakter).",
        "en": "Text too long: shorten the caller's words (max {n} characters).",
    },
    "login_title": {"id": "Masuk ke konsol", "en": "Sign in to the console"},
    "login_name": {"id": "Nama akun", "en": "Account name"},
    "login_label": {"id": "Kata sandi", "en": "Password"},
    "login_button": {"id": "Masuk", "en": "Sign in"},
    "login_failed": {
        "id": "Nama akun atau kata sandi salah.",
        "en": "Wrong account name or password.",
    },
    "login_limited": {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {n} menit.",
        "en": "Too many failed sign-in attempts. Try again in {n} minutes.",
    },
    "forbidden": {
        "id": "Akses ditolak: peran akun Anda tidak mencakup halaman ini.",
        "en": "Access denied: your account's role does not include this page.",
    },
    "unavailable": {"id": "Layanan sedang tidak tersedia", "en": "Service unavailable"},
    "region_label": {"id": "Daerah penelepon (opsional)", "en": "Caller's region (optional)"},
    "region_hint": {"id": "mis. Sleman, kota bogor, jaksel", "en": "e.g. Sleman, Bogor city"},
    "in_region": {"id": "Di {region}", "en": "In {region}"},
    "map": {"id": "peta", "en": "map"},
    "no_local": {
        "id": "Belum ada data kantor atau MPP daerah ini yang sudah dicek.",
        "en": "No checked office or MPP data for this region yet.",
    },
    "region_coverage": {"id": "Cakupan data daerah", "en": "Regional data coverage"},
    "rules": {"id": "aturan daerah", "en": "regional rules"},
    "nav_handoffs": {"id": "Antrean petugas", "en": "Handoff queue"},
    "nav_cases": {"id": "Kode kasus", "en": "Case codes"},
    "queue_intro": {
        "id": "Percakapan yang meminta petugas, yang dua kali tidak terbantu bot, atau yang "
        "warganya kesal. Data pribadi disamarkan.",
        "en": "Conversations that asked for a person, that the bot failed twice, or whose "
        "citizen is upset. Personal data is masked.",
    },
    "queue_empty": {"id": "Tidak ada yang menunggu.", "en": "Nobody is waiting."},
    "open": {"id": "Buka", "en": "Open"},
    "st_waiting": {"id": "menunggu", "en": "waiting"},
    "st_claimed": {"id": "dilayani", "en": "claimed"},
    "st_closed": {"id": "selesai", "en": "closed"},
    "waiting": {"id": "Menunggu", "en": "Waiting"},
    "channel": {"id": "Kanal", "en": "Channel"},
    "about": {"id": "Tentang", "en": "About"},
    "conversation": {"id": "Percakapan", "en": "Conversation"},
    "life_event": {"id": "Peristiwa hidup", "en": "Life event"},
    "service_focus": {"id": "Layanan yang dibahas", "en": "Service in focus"},
    "from_citizen": {"id": "Warga", "en": "Citizen"},
    "from_bot": {"id": "Bot", "en": "Bot"},
    "from_agent": {"id": "Petugas", "en": "Agent"},
    "claim": {"id": "Ambil percakapan", "en": "Claim conversation"},
    "release": {"id": "Kembalikan ke bot", "en": "Back to the bot"},
    "unmask": {"id": "Tampilkan data pribadi", "en": "Show personal data"},
    "confirm_unmask": {
        "id": "Tampilkan NIK dan nomor telepon? Tindakan ini dicatat di log audit.",
        "en": "Show ID numbers and phone numbers? This is recorded in the audit log.",
    },
    "transcript": {"id": "Transkrip", "en": "Transcript"},
    "mark_wrong": {"id": "Jawaban salah?", "en": "Wrong answer?"},
    "right_service": {"id": "Layanan yang benar", "en": "The right service"},
    "propose_fix": {"id": "Usulkan perbaikan", "en": "Propose fix"},
    "fix_noted": {
        "id": "Usulan perbaikan dicatat untuk editor.",
        "en": "Proposed fix noted for editors.",
    },
    "write": {"id": "Tulis ke warga", "en": "Write to the citizen"},
    "message_label": {
        "id": "Pesan (terkirim lewat kanal warga)",
        "en": "Message (sent on the citizen's channel)",
    },
    "send": {"id": "Kirim", "en": "Send"},
    "sent": {"id": "Terkirim.", "en": "Sent."},
    "sent_template": {
        "id": "Terkirim sebagai pesan template (di luar jendela 24 jam WhatsApp).",
        "en": "Sent as a template message (outside WhatsApp's 24-hour window).",
    },
    "send_failed": {"id": "Gagal", "en": "Failed"},
    "suggestions": {"id": "Balasan yang disarankan", "en": "Suggested replies"},
    "use_reply": {"id": "Pakai (bisa diubah)", "en": "Use (editable)"},
    "loading": {"id": "Memuat…", "en": "Loading…"},
    "proposed_fixes": {"id": "Usulan perbaikan dari petugas", "en": "Fixes proposed by agents"},
    "answered": {"id": "Dijawab", "en": "Answered"},
    "should_be": {"id": "Seharusnya", "en": "Should be"},
    "nav_admin": {"id": "Akun & audit", "en": "Accounts & audit"},
    "admin_title": {"id": "Akun dan log audit", "en": "Accounts and audit log"},
    "accounts_h": {"id": "Akun", "en": "Accounts"},
    "accounts_hint": {
        "id": "Kelola akun dengan: navigator agents add|disable|enable|reset NAMA",
        "en": "Manage accounts with: navigator agents add|disable|enable|reset NAME",
    },
    "audit_h": {"id": "Log audit", "en": "Audit log"},
    "account": {"id": "Akun", "en": "Account"},
    "role": {"id": "Peran", "en": "Role"},
    "status": {"id": "Status", "en": "Status"},
    "created": {"id": "Dibuat", "en": "Created"},
    "last_login": {"id": "Terakhir masuk", "en": "Last sign-in"},
    "enabled": {"id": "aktif", "en": "enabled"},
    "disabled": {"id": "nonaktif", "en": "disabled"},
    "action": {"id": "Tindakan", "en": "Action"},
    "target": {"id": "Sasaran", "en": "Target"},
    "detail": {"id": "Keterangan", "en": "Detail"},
    "insight_title": {"id": "Wawasan editor", "en": "Editors' insight"},
    "unanswered": {"id": "Pertanyaan yang belum terjawab", "en": "Unanswered questions"},
    "coverage": {"id": "Cakupan per peristiwa hidup", "en": "Coverage per life event"},
    "stale_entries": {"id": "Entri kedaluwarsa", "en": "Stale entries"},
    "eval_trend": {"id": "Tren skor evaluasi pencarian", "en": "Retrieval evaluation trend"},
    "count": {"id": "Jumlah", "en": "Count"},
    "question": {"id": "Pertanyaan", "en": "Question"},
    "examples": {"id": "Contoh lain", "en": "Other wordings"},
    "reasons": {"id": "Alasan", "en": "Reasons"},
    "shown": {"id": "Yang ditampilkan", "en": "What was shown"},
    "event": {"id": "Peristiwa", "en": "Event"},
    "unanswered_short": {"id": "Belum terjawab", "en": "Unanswered"},
    "days": {"id": "hari", "en": "days"},
    "when": {"id": "Waktu", "en": "When"},
    "stored": {"id": "pertanyaan tersimpan", "en": "stored queries"},
    "services_h": {"id": "Layanan", "en": "Services"},
    "none": {"id": "Tidak ada.", "en": "None."},
    "nothing": {"id": "Belum ada data.", "en": "No data yet."},
    "period": {"id": "{n} hari terakhir", "en": "last {n} days"},
}


def translator(lang: UiLang) -> Callable[..., str]:
    """A ``t(key, **values)`` function for templates; unknown keys show as themselves."""

    def t(key: str, **values: object) -> str:
        entry = TEXTS.get(key)
        text = entry[lang] if entry else key
        return text.format(**values) if values else text

    return t


def pick_lang(value: str | None, default: UiLang = "id") -> UiLang:
    """A supported UI language from a query parameter or cookie."""
    return "en" if value == "en" else ("id" if value == "id" else default)
