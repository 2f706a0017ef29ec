"""Case codes in the console: ``GET /api/cases/{code}`` and the printable ``/cases/{code}``.

A citizen reads out (or shows) a code such as ``NAV-7K3QX``; the agent opens what the
conversation came to: the life event, the services with what is done, the documents to
bring and the last question (masked). Codes are read forgivingly (lower case, no dash);
unknown and expired ones answer 404. Every look is in the audit log (``open_case``).

The store is ``request.app.state.cases`` (a :class:`navigator.cases.CaseStore` over the
console's database). The page carries a QR code of the code as an inline SVG data URI
(the console's CSP allows ``img-src data:``) and a print style sheet of its own.
"""

from __future__ import annotations

import base64
import io
import logging
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from navigator.cases.store import Case, CaseStore, StoreError, normalise
from navigator.console import views
from navigator.console.auth import Principal, api_role, audit, page_role
from navigator.console.pages import render, ui_lang
from navigator.insight.database import describe

logger = logging.getLogger(__name__)

router = APIRouter()
ApiAgent = Annotated[Principal, Depends(api_role("agent"))]
PageAgent = Annotated[Principal, Depends(page_role("agent"))]
CodeParam = Annotated[str, Path(min_length=1, max_length=20)]
SHOWN_ZONE = ZoneInfo("Asia/Jakarta")

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Kode kasus",
        "lookup": "Buka kode kasus",
        "lookup_label": "Kode kasus dari warga (misalnya NAV-7K3QX)",
        "open": "Buka",
        "not_found": "Kode tidak dikenal atau sudah kedaluwarsa (kode berlaku 30 hari).",
        "life_event": "Peristiwa hidup",
        "services": "Layanan",
        "done": "sudah selesai",
        "not_done": "belum",
        "documents": "Dokumen yang perlu dibawa",
        "last_question": "Pertanyaan terakhir",
        "created": "Dibuat",
        "expires": "Berlaku sampai",
        "qr": "Kode QR dari kode kasus",
        "print_hint": "Cetak halaman ini dengan Ctrl+P (⌘P).",
        "none": "tidak ada",
    },
    "en": {
        "title": "Case code",
        "lookup": "Open a case code",
        "lookup_label": "The citizen's case code (for example NAV-7K3QX)",
        "open": "Open",
        "not_found": "Unknown or expired code (codes are valid for 30 days).",
        "life_event": "Life event",
        "services": "Services",
        "done": "done",
        "not_done": "not yet",
        "documents": "Documents to bring",
        "last_question": "Last question",
        "created": "Created",
        "expires": "Valid until",
        "qr": "QR code of the case code",
        "print_hint": "Print this page with Ctrl+P (⌘P).",
        "none": "none",
    },
}


def cases(request: Request) -> CaseStore:
    """The app's case store."""
    store: CaseStore = request.app.state.cases
    return store


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URI (an ``<img>`` the CSP allows)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _find(request: Request, code: str, via: str) -> Case:
    """The case, 404 when unknown or expired, 503 when the database is down (audited)."""
    normal = normalise(code)
    audit(request, "open_case", normal or code[:20], via)
    if normal is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown or expired case code")
    try:
        found = cases(request).get(normal)
    except StoreError as exc:
        logger.warning("case database unavailable: %s", describe(exc))
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the case database is unavailable"
        ) from exc
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown or expired case code")
    return found


@router.get(
    "/api/cases/{code}",
    tags=["cases"],
    summary="A case code's checklist: life event, services, documents, last question",
)
def case_api(request: Request, principal: ApiAgent, code: CodeParam) -> dict[str, Any]:
    """``{"code","life_event","services","documents","last_question","created","expires"}``;
    404 for an unknown or expired code."""
    return _find(request, code, "api").to_dict()


def _shown(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M WIB")


def _event(request: Request, event_id: str | None, lang: str) -> str | None:
    holder = getattr(request.app.state, "holder", None)
    if not event_id or holder is None:
        return event_id
    name = views.event_name(holder.get().kb, event_id, "en" if lang == "en" else "id")
    return name or event_id


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def lookup_page(
    request: Request, principal: PageAgent, code: Annotated[str, Query(max_length=40)] = ""
) -> Response:
    """A form for the code a citizen reads out; a code goes to its page."""
    words = WORDS[ui_lang(request)]
    if code.strip():
        normal = normalise(code)
        if normal is not None:
            return RedirectResponse(f"/cases/{normal}", status.HTTP_303_SEE_OTHER)
        return render(request, "case.html", 404, case=None, words=words, missing=True, asked=code)
    return render(request, "case.html", case=None, words=words, missing=False, asked="")


@router.get("/cases/{code}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, principal: PageAgent, code: CodeParam) -> Response:
    """The printable checklist of a case, with a QR code of its code."""
    lang = ui_lang(request)
    words = WORDS[lang]
    try:
        found = _find(request, code, "page")
    except HTTPException as exc:
        if exc.status_code != status.HTTP_404_NOT_FOUND:
            raise
        return render(request, "case.html", 404, case=None, words=words, missing=True, asked=code)
    return render(
        request,
        "case.html",
        case=found,
        words=words,
        missing=False,
        asked=found.code,
        event_name=_event(request, found.life_event, lang),
        qr=qr_data_uri(found.code),
        created=_shown(found.created),
        expires=_shown(found.expires),
    )
