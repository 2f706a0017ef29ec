"""Case codes: a short code for what a conversation came to, valid for 30 days.

``NAV-`` and five characters of Crockford's base32 (digits and capitals without I, L, O
and U, so nothing is misread when spoken or handwritten), random from ``secrets``; about
33 million codes, and a collision is drawn again. Codes are read forgivingly: lower
case, spaces, a missing ``NAV-``, and the letters Crockford maps (I and L to 1, O to 0).
An expired code is never returned and ``purge`` deletes it.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from navigator import migrations
from navigator.cases.schema import cases
from navigator.insight.database import configured_engine
from navigator.privacy import redact

StoreError = SQLAlchemyError
Now = datetime | float | None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
PREFIX = "NAV-"
LENGTH = 5
TTL_DAYS = 30
MAX_SERVICES = 30
MAX_DOCUMENTS = 60
TEXT_LIMIT = 300
QUESTION_LIMIT = 1000
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_CODE = re.compile(rf"^{PREFIX}[{ALPHABET}]{{{LENGTH}}}$")


@dataclass(frozen=True)
class CaseService:
    """One service of the case and whether the citizen has done it."""

    id: str
    title: str
    done: bool = False


@dataclass(frozen=True)
class Case:
    """A case under its code."""

    code: str
    life_event: str | None
    services: list[CaseService]
    documents: list[str]
    last_question: str
    created: float
    expires: float

    def to_dict(self) -> dict[str, Any]:
        """``GET /api/cases/{code}``: times in ISO 8601, UTC."""
        return {
            "code": self.code,
            "life_event": self.life_event,
            "services": [{"id": s.id, "title": s.title, "done": s.done} for s in self.services],
            "documents": list(self.documents),
            "last_question": self.last_question,
            "created": _iso(self.created),
            "expires": _iso(self.expires),
        }


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def _epoch(now: Now) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("a naive datetime: give its time zone")
        return now.timestamp()
    return float(now)


def new_code() -> str:
    """``NAV-`` and five random Crockford base32 characters."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The code as stored (``nav 7k3qx``, ``7K3QX`` → ``NAV-7K3QX``), or None when it
    cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    if len(compact) == LENGTH + 3 and compact.startswith("NAV"):
        compact = compact[3:]
    code = PREFIX + compact.translate(_READ_AS)
    return code if _CODE.fullmatch(code) else None


def _services(services: list[dict[str, Any]]) -> list[CaseService]:
    found = []
    for item in services[:MAX_SERVICES]:
        if not isinstance(item, dict) or not item.get("id"):
            raise ValueError("each service needs an id")
        found.append(
            CaseService(
                id=str(item["id"])[:TEXT_LIMIT],
                title=str(item.get("title") or item["id"])[:TEXT_LIMIT],
                done=bool(item.get("done", False)),
            )
        )
    return found


def _case(row: sa.Row[Any]) -> Case:
    m = row._mapping
    return Case(
        code=str(m["code"]),
        life_event=m["life_event"],
        services=[CaseService(**s) for s in json.loads(m["services"])],
        documents=[str(d) for d in json.loads(m["documents"])],
        last_question=str(m["last_question"]),
        created=float(m["created"]),
        expires=float(m["expires"]),
    )


class CaseStore:
    """Case codes in the insight store's database (``engine`` shared when given)."""

    def __init__(
        self,
        engine: sa.Engine | None = None,
        *,
        path: Path | None = None,
        url: str | None = None,
        ttl_days: float = TTL_DAYS,
    ) -> None:
        self._own_engine = engine is None
        self._engine = engine if engine is not None else configured_engine(path, url)
        self._schema = migrations.OnFirstUse(self._engine)
        self.ttl_s = ttl_days * 86400

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def _ready(self) -> sa.Engine:
        return self._schema.ready()

    def create(
        self,
        life_event: str | None,
        services: list[dict[str, Any]],
        documents: list[str],
        last_question: str,
        now: Now = None,
    ) -> Case:
        """Store a case under a new code. ``services`` are ``{"id", "title", "done"}``;
        the documents and the last question are masked (NIK, phone numbers, e-mail
        addresses, long numbers) and nothing that identifies the citizen is kept."""
        at = _epoch(now)
        case = Case(
            code="",
            life_event=str(life_event)[:TEXT_LIMIT] if life_event else None,
            services=_services(services),
            documents=[redact(str(d))[:TEXT_LIMIT] for d in documents[:MAX_DOCUMENTS]],
            last_question=redact(last_question or "")[:QUESTION_LIMIT],
            created=at,
            expires=at + self.ttl_s,
        )
        row = {
            "life_event": case.life_event,
            "services": json.dumps(
                [{"id": s.id, "title": s.title, "done": s.done} for s in case.services],
                ensure_ascii=False,
            ),
            "documents": json.dumps(case.documents, ensure_ascii=False),
            "last_question": case.last_question,
            "created": case.created,
            "expires": case.expires,
        }
        for _ in range(20):
            code = new_code()
            try:
                with self._ready().begin() as connection:
                    connection.execute(sa.insert(cases).values(code=code, **row))
            except IntegrityError:  # that code is taken: draw another
                continue
            return replace(case, code=code)
        raise RuntimeError("no free case code after 20 draws: purge expired codes")

    def get(self, code: str, now: Now = None) -> Case | None:
        """The case under ``code`` (read forgivingly), None when unknown or expired."""
        normal = normalise(code)
        if normal is None:
            return None
        stmt = sa.select(cases).where(cases.c.code == normal, cases.c.expires > _epoch(now))
        with self._ready().connect() as connection:
            row = connection.execute(stmt).first()
        return _case(row) if row is not None else None

    def purge(self, now: Now = None) -> int:
        """Delete expired cases; returns how many."""
        with self._ready().begin() as connection:
            result = connection.execute(sa.delete(cases).where(cases.c.expires <= _epoch(now)))
        return int(result.rowcount)

    def close(self) -> None:
        """Close pooled connections when this store made its own engine."""
        if self._own_engine:
            self._engine.dispose()
