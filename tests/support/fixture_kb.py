"""A small, valid knowledge base written to a temporary folder for tests.

Eight services, one per life event, with enough real wording to search over. Tests
break copies of it to check the validator's messages and lines.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

REAL_KB = Path(__file__).resolve().parents[2] / "knowledge_base"

SERVICES: dict[str, dict[str, object]] = {
    "akta-kelahiran": {
        "event": "birth",
        "title": "Akta Kelahiran",
        "title_en": "Birth Certificate",
        "aliases": ["akte lahir"],
        "summary": "Bukti resmi kelahiran anak yang dicatat Dukcapil.",
        "summary_en": "Official record of a child's birth, issued by Dukcapil.",
        "examples": ["cara membuat akta kelahiran anak", "syarat akte lahir bayi"],
        "examples_en": ["how to get a birth certificate"],
        "institution": "dukcapil",
        "facts": {
            "deadline": {
                "within": 60,
                "unit": "days",
                "counted_from": "tanggal lahir anak",
                "counted_from_en": "the child's date of birth",
                "text": "Laporkan paling lambat 60 hari sejak kelahiran.",
                "text_en": "Report within 60 days of the birth.",
                "after": "Tetap bisa dicatat sesudahnya.",
                "after_en": "It can still be registered later.",
                "source": "https://example.go.id/layanan/akta-kelahiran",
            },
            "online": {
                "available": "partial",
                "channels": ["web"],
                "text": "Sebagian daerah menerima pengajuan online.",
                "text_en": "Some regions accept online applications.",
                "source": "https://example.go.id/layanan/akta-kelahiran",
            },
        },
    },
    "spmb": {
        "event": "education",
        "title": "Pendaftaran Sekolah (SPMB, dahulu PPDB)",
        "title_en": "School Admission (SPMB, formerly PPDB)",
        "aliases": ["ppdb", "daftar sekolah"],
        "summary": "Sistem Penerimaan Murid Baru untuk masuk SD, SMP dan SMA negeri.",
        "summary_en": "New student admission system for public primary and secondary schools.",
        "examples": ["jadwal spmb sd negeri", "cara daftar ppdb smp"],
        "examples_en": ["how to enrol my child in a public school"],
        "institution": "sekolah",
    },
    "kartu-pencari-kerja": {
        "event": "work",
        "title": "Kartu Pencari Kerja (AK/1, kartu kuning)",
        "title_en": "Job Seeker Card (AK/1, yellow card)",
        "aliases": ["kartu kuning", "ak1"],
        "summary": "Kartu tanda pencari kerja dari Dinas Tenaga Kerja untuk melamar pekerjaan.",
        "summary_en": "Job seeker card from the Manpower Office, used when applying for jobs.",
        "examples": ["bikin kartu kuning di disnaker", "syarat kartu ak1"],
        "examples_en": ["how to get a job seeker card"],
        "institution": "disnaker",
    },
    "nib-oss": {
        "event": "business",
        "title": "Nomor Induk Berusaha (NIB) lewat OSS",
        "title_en": "Business Identification Number (NIB) via OSS",
        "aliases": ["siup", "izin usaha"],
        "summary": "Identitas pelaku usaha yang diterbitkan sistem OSS, pengganti SIUP dan TDP.",
        "summary_en": "Business identity number issued by the OSS system, replacing SIUP and TDP.",
        "examples": ["cara daftar nib di oss", "izin usaha warung"],
        "examples_en": ["how to register a small business"],
        "institution": "oss",
    },
    "pensiun-asn": {
        "event": "old_age",
        "title": "Pensiun ASN (Taspen)",
        "title_en": "Civil Servant Pension (Taspen)",
        "aliases": ["pensiun pns"],
        "summary": "Pengajuan hak pensiun pegawai negeri sipil lewat Taspen.",
        "summary_en": "Claiming a civil servant's pension through Taspen.",
        "examples": ["cara urus pensiun pns di taspen", "berkas pensiun asn"],
        "examples_en": ["how do civil servants claim their pension"],
        "institution": "taspen",
    },
    "pencatatan-nikah-kua": {
        "event": "marriage",
        "title": "Pendaftaran Nikah di KUA",
        "title_en": "Marriage Registration at the KUA",
        "aliases": ["daftar nikah"],
        "summary": "Pendaftaran dan pencatatan nikah bagi pasangan beragama Islam di KUA.",
        "summary_en": "Registering a Muslim marriage at the Office of Religious Affairs (KUA).",
        "examples": ["syarat nikah di kua", "biaya nikah kua"],
        "examples_en": ["how to register a marriage at the KUA"],
        "institution": "kua",
    },
    "pindah-domisili": {
        "event": "moving",
        "title": "Pindah Domisili (Surat Pindah / SKPWNI)",
        "title_en": "Change of Residence (Moving Certificate / SKPWNI)",
        "aliases": ["surat pindah", "skpwni"],
        "summary": "Surat keterangan pindah untuk penduduk yang pindah alamat ke daerah lain.",
        "summary_en": "Moving certificate for residents who move to another region.",
        "examples": ["cara bikin surat pindah", "pindah domisili ke kota lain"],
        "examples_en": ["how to change my registered address"],
        "institution": "dukcapil",
    },
    "akta-kematian": {
        "event": "death",
        "title": "Akta Kematian",
        "title_en": "Death Certificate",
        "aliases": ["akte kematian", "surat kematian"],
        "summary": "Bukti resmi kematian penduduk yang dicatat Dukcapil.",
        "summary_en": "Official record of a death, issued by Dukcapil.",
        "examples": ["cara urus akta kematian", "syarat akte kematian orang tua"],
        "examples_en": ["how to get a death certificate"],
        "institution": "dukcapil",
    },
}

EVENTS = {
    "birth": ("Kelahiran", "Birth", ["lahir", "melahirkan"]),
    "education": ("Pendidikan", "Education", ["sekolah"]),
    "work": ("Bekerja", "Work", ["kerja", "phk"]),
    "business": ("Usaha", "Business", ["usaha", "warung"]),
    "old_age": ("Masa tua", "Old age", ["pensiun"]),
    "marriage": ("Menikah", "Marriage", ["nikah"]),
    "moving": ("Pindah", "Moving", ["pindah rumah"]),
    "death": ("Kematian", "Death", ["meninggal"]),
}

INSTITUTIONS = ["dukcapil", "sekolah", "disnaker", "oss", "taspen", "kua"]


def service_document(sid: str, spec: dict[str, object], last_checked: str) -> dict[str, object]:
    """The YAML document of one fixture service."""
    return {
        "id": sid,
        "title": spec["title"],
        "title_en": spec["title_en"],
        "aliases": spec["aliases"],
        "summary": spec["summary"],
        "summary_en": spec["summary_en"],
        "life_events": [spec["event"]],
        "audience": "Warga negara Indonesia.",
        "audience_en": "Indonesian citizens.",
        "requirements": ["KTP elektronik", "Kartu Keluarga"],
        "requirements_en": ["Electronic ID card", "Family card"],
        "steps": ["Datang ke kantor layanan.", "Serahkan berkas."],
        "steps_en": ["Go to the service office.", "Hand in the documents."],
        "fee": {"free": True, "text": "Gratis.", "text_en": "Free."},
        "processing_time": {"text": "Berbeda per daerah.", "text_en": "Differs by region."},
        "where": [
            {
                "institution": spec["institution"],
                "channel": "office",
                "text": "Kantor layanan",
                "text_en": "Service office",
            }
        ],
        "legal_basis": ["UU 24/2013"],
        "sources": [{"title": "Contoh", "url": f"https://example.go.id/layanan/{sid}"}],
        "last_checked": last_checked,
        **dict(spec.get("facts", {})),  # type: ignore[call-overload]
        "related": [],
        "examples": spec["examples"],
        "examples_en": spec["examples_en"],
    }


def write_fixture_kb(root: Path, last_checked: str = "2026-01-15") -> Path:
    """Write the fixture knowledge base under ``root``; return its folder."""
    kb = root / "knowledge_base"
    for sid, spec in SERVICES.items():
        folder = kb / "services" / str(spec["event"])
        folder.mkdir(parents=True, exist_ok=True)
        doc = service_document(sid, spec, last_checked)
        (folder / f"{sid}.yml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    events = []
    for event_id, (name, name_en, cues) in EVENTS.items():
        journey = [sid for sid, spec in SERVICES.items() if spec["event"] == event_id]
        events.append(
            {
                "id": event_id,
                "name": name,
                "name_en": name_en,
                "description": f"Layanan untuk {name.lower()}.",
                "description_en": f"Services for {name_en.lower()}.",
                "journey": journey,
                "cues": cues,
            }
        )
    (kb / "life_events.yml").write_text(yaml.safe_dump(events, sort_keys=False), encoding="utf-8")
    glossary = [
        {"term": "akte", "means": "akta", "kind": "typo"},
        {"term": "bikin", "means": "membuat", "kind": "slang"},
        {"term": "kartu kuning", "means": "kartu pencari kerja", "kind": "old_name"},
    ]
    (kb / "glossary.yml").write_text(yaml.safe_dump(glossary, sort_keys=False), encoding="utf-8")
    # the everyday names of places, as shipped (no regional facts: tests add their own)
    (kb / "regions").mkdir(exist_ok=True)
    shutil.copyfile(REAL_KB / "regions" / "aliases.yml", kb / "regions" / "aliases.yml")
    institutions = [{"id": i, "name": i.upper(), "name_en": i.upper()} for i in INSTITUTIONS]
    (kb / "institutions.yml").write_text(
        yaml.safe_dump(institutions, sort_keys=False), encoding="utf-8"
    )
    # the dialogue's language knowledge is not service data: the fixture uses the real one
    shutil.copy(REAL_KB / "dialogue.yml", kb / "dialogue.yml")
    return kb
