"""What the adapters themselves say, in Indonesian first and English second."""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]
LANGUAGES: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"

_TEXTS: dict[str, dict[Lang, str]] = {
    "busy": {
        "id": "Maaf, layanan sedang sibuk. Silakan coba lagi sebentar lagi.",
        "en": "Sorry, the service is busy. Please try again shortly.",
    },
    "start": {
        "id": (
            "Halo! Saya Navigator, asisten layanan publik.\n\n"
            'Ceritakan apa yang sedang Anda alami, misalnya "anak saya baru lahir", '
            '"saya baru di-PHK" atau "mau buka warung". Saya jelaskan dokumen yang '
            "dibawa, langkah, biaya, lama proses dan tempat mengurusnya.\n\n"
            "Perintah: /help bantuan, /bahasa ganti bahasa, /reset mulai dari awal."
        ),
        "en": (
            "Hello! I am Navigator, a public services assistant.\n\n"
            'Tell me what is happening in your life, for example "my child was just '
            'born", "I lost my job" or "I want to open a shop". I explain what to '
            "bring, the steps, the fee, how long it takes and where to go.\n\n"
            "Commands: /help help, /bahasa switch language, /reset start over."
        ),
    },
    "help": {
        "id": (
            "Tulis pertanyaan Anda dengan kata-kata sendiri, lalu pilih tombol jika ada.\n"
            "/start perkenalan\n/bahasa ganti bahasa (Indonesia/English)\n"
            "/reset lupakan percakapan dan mulai lagi\n\n"
            "Jangan kirim NIK, nomor KK atau data pribadi lain di sini."
        ),
        "en": (
            "Ask in your own words, then tap a button if one is offered.\n"
            "/start introduction\n/bahasa switch language (Indonesia/English)\n"
            "/reset forget the conversation and start again\n\n"
            "Please do not send your NIK, family card number or other personal data here."
        ),
    },
    "language_set": {
        "id": "Bahasa diganti ke Bahasa Indonesia.",
        "en": "Language switched to English.",
    },
    "reset_done": {
        "id": "Percakapan sudah dimulai ulang. Silakan ceritakan keperluan Anda.",
        "en": "The conversation has been reset. Tell me what you need.",
    },
    "unsupported": {
        "id": (
            "Maaf, saya belum bisa membaca gambar, pesan suara atau berkas. Paling mudah "
            'jika pertanyaan Anda diketik, misalnya "syarat akta kelahiran". Ingin bicara '
            'dengan petugas? Tulis "petugas".'
        ),
        "en": (
            "Sorry, I cannot read pictures, voice notes or files yet. Typing works best, for "
            'example "birth certificate requirements". To talk to a person, type "agent".'
        ),
    },
    "rate_limited": {
        "id": "Pesan Anda terlalu cepat. Tunggu sebentar, lalu kirim lagi.",
        "en": "You are sending messages too quickly. Please wait a moment and try again.",
    },
    "button_expired": {
        "id": "Tombol ini sudah tidak berlaku. Silakan tulis pertanyaan Anda lagi.",
        "en": "This button has expired. Please type your question again.",
    },
    "choose": {"id": "Silakan pilih:", "en": "Please choose:"},
    "list_button": {"id": "Pilih", "en": "Choose"},
    "more": {"id": "Lainnya…", "en": "More…"},
    "more_description": {"id": "Tampilkan pilihan berikutnya", "en": "Show the next options"},
}


def text(key: str, lang: Lang = DEFAULT_LANG) -> str:
    """The canned text ``key`` in ``lang``."""
    return _TEXTS[key][lang]


def parse_lang(value: str | None) -> Lang | None:
    """``"id"``/``"en"`` from a command argument or a client language code, else None."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith(("id", "in", "indo")):
        return "id"
    if value.startswith(("en", "eng", "ing")):
        return "en"
    return None
