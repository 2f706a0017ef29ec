"""The suggested reply: short enough for WhatsApp whatever the service holds."""

from __future__ import annotations

import datetime as dt

from navigator.console.reply import REPLY_LIMIT, clip, suggested_reply
from navigator.kb.schema import Service
from tests.support.fixture_kb import SERVICES, service_document


def long_service(n: int = 30) -> Service:
    doc = service_document("akta-kelahiran", SERVICES["akta-kelahiran"], "2026-01-15")
    doc["requirements"] = [
        f"Dokumen nomor {i} " + "dengan keterangan panjang " * 10 for i in range(n)
    ]
    doc["requirements_en"] = [f"Document {i} " + "with a long explanation " * 10 for i in range(n)]
    doc["fee"] = {"free": True, "text": "Gratis. " + "Rincian biaya. " * 40, "text_en": "Free."}
    return Service.model_validate(doc)


def test_reply_never_exceeds_the_limit() -> None:
    reply = suggested_reply(long_service(), "id")
    assert reply.length <= REPLY_LIMIT
    assert "…dan" in reply.text and "dokumen lain" in reply.text
    assert "Biaya: Gratis." in reply.text


def test_ticked_documents_leave_the_list() -> None:
    service = long_service(3)
    reply = suggested_reply(service, "en", have={1})
    assert "Document 1 " not in reply.text
    assert "Document 0 " in reply.text and "Document 2 " in reply.text
    assert len(reply.missing) == 2 and len(reply.have) == 1


def test_all_ticked_says_complete() -> None:
    reply = suggested_reply(long_service(2), "id", have={0, 1})
    assert "sudah lengkap" in reply.text and reply.missing == []


def test_clip() -> None:
    assert clip("a  b\n c") == "a b c"
    assert clip("x" * 200, 10) == "x" * 9 + "…"


def test_service_dates_are_real() -> None:
    assert long_service().last_checked == dt.date(2026, 1, 15)
