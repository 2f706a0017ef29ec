"""Personal data never reaches a log line."""

from __future__ import annotations

import logging

import pytest

from navigator.privacy import RedactingFilter, pseudonym, redact


@pytest.mark.parametrize(
    "raw",
    [
        "NIK 3201234567890001 ya",
        "NIK: 320123 456789 0001",
        "hubungi 081234567890",
        "hubungi 0812-3456-7890",
        "hubungi +62 812 3456 7890",
        "wa 6281234567890",
        "call +1 650 555 1234",
        "mail siti.rahayu@example.co.id",
    ],
)
def test_personal_data_is_masked(raw: str) -> None:
    masked = redact(raw)
    assert masked != raw
    for secret in ("3201234567890001", "81234567890", "3456", "650 555", "siti.rahayu"):
        assert secret not in masked


def test_ordinary_numbers_stay() -> None:
    text = "Biaya Rp50.000, proses 14 hari, tahun 2024, HTTP 429"
    assert redact(text) == text


def test_pseudonym_is_stable_and_hides_the_id() -> None:
    assert pseudonym("whatsapp:6281234567890") == pseudonym("whatsapp:6281234567890")
    assert pseudonym(1) != pseudonym(2)
    assert "6281234567890" not in pseudonym("whatsapp:6281234567890")


def test_the_filter_redacts_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.redact")
    caplog.handler.addFilter(RedactingFilter())
    try:
        raise ValueError("bad NIK 3201234567890001")
    except ValueError:
        logger.exception("citizen %s wrote", "081234567890")
    record = caplog.records[-1]
    assert "081234567890" not in caplog.text
    assert "3201234567890001" not in caplog.text
    assert record.getMessage() == "citizen [TELEPON] wrote"


def test_a_librarys_payload_never_reaches_the_log() -> None:
    import io
    import logging

    from navigator.privacy import WITHHELD, install

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger("privacy-test-root")
    root.addHandler(handler)
    install(root)
    update = [{"update_id": 5, "message": {"from": {"first_name": "Siti Aminah"}}}]
    logging.getLogger("privacy-test-root.telegram.Bot").critical(
        "Error while parsing updates! Received data was %r", update
    )
    logging.getLogger("privacy-test-root.httpx").warning(
        "%(method)s %(body)s", {"method": "POST", "body": {"name": "Budi"}}
    )
    ours = logging.getLogger("navigator.channels")
    ours.addHandler(handler)
    ours.warning("skipped update %d", 5)
    text = stream.getvalue()
    assert "Siti" not in text and "Budi" not in text
    assert text.count(WITHHELD) == 2 and "POST" in text
    assert "skipped update 5" in text
    ours.removeHandler(handler)
