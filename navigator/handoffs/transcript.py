"""A conversation's transcript from Rasa's tracker events, masked unless asked.

Rasa's tracker store is the one record of what was said: the citizen's messages are
``user`` events, the bot's and the agents' are ``bot`` events (an agent's carry
``metadata.agent``, written by :mod:`navigator.handoffs.service`). Buttons the citizen
pressed arrive as payloads (``/choose_service{"service": "akta_kelahiran"}``) and are
shown as what they chose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from navigator.privacy import redact

Speaker = Literal["citizen", "bot", "agent"]


@dataclass(frozen=True)
class Line:
    """One message of the transcript."""

    speaker: Speaker
    text: str
    at: float
    agent: str | None = None
    service: str | None = None  # the service a bot message answered (its custom marker)
    index: int = 0  # position among the tracker's events, to point at a bot answer

    def to_dict(self, masked: bool = True) -> dict[str, Any]:
        """``{"from", "text", "at"}`` (ISO 8601, UTC) as the JSON API gives it."""
        text = redact(self.text) if masked and self.speaker == "citizen" else self.text
        found: dict[str, Any] = {
            "from": self.speaker,
            "text": text,
            "at": datetime.fromtimestamp(self.at, UTC).isoformat(timespec="seconds"),
        }
        if self.agent:
            found["agent"] = self.agent
        if self.service:
            found["service"] = self.service
        found["index"] = self.index
        return found


def _pressed(text: str) -> str:
    """What a button payload chose: ``/choose_service{"service": "x"}`` → ``▸ x``."""
    name, _, rest = text[1:].partition("{")
    try:
        values = json.loads("{" + rest) if rest else {}
    except json.JSONDecodeError:
        values = {}
    chosen = [str(v) for v in values.values()] if isinstance(values, dict) else []
    return "▸ " + (", ".join(chosen) or name)


def lines(events: list[dict[str, Any]]) -> list[Line]:
    """The transcript of a tracker's events, oldest first."""
    found: list[Line] = []
    pending_service: str | None = None
    for index, event in enumerate(events):
        kind = event.get("event")
        at = float(event.get("timestamp") or 0.0)
        if kind == "user":
            text = str(event.get("text") or "")
            if text.startswith("/"):
                if text.split("{", 1)[0] in ("/restart", "/session_start"):
                    continue
                text = _pressed(text)
            if text:
                found.append(Line("citizen", text, at, index=index))
        elif kind == "bot":
            data = event.get("data") or {}
            custom = data.get("custom") if isinstance(data, dict) else None
            if isinstance(custom, dict) and custom.get("service"):
                pending_service = str(custom["service"])  # the marker comes before its text
            text = str(event.get("text") or "")
            if not text:
                continue
            metadata = event.get("metadata") or {}
            agent = metadata.get("agent") if isinstance(metadata, dict) else None
            speaker: Speaker = "agent" if agent else "bot"
            service = pending_service if speaker == "bot" else None
            pending_service = None
            found.append(Line(speaker, text, at, agent=agent, service=service, index=index))
    return found


def last_citizen_at(events: list[dict[str, Any]]) -> float | None:
    """When the citizen last wrote (for WhatsApp's 24-hour window)."""
    times = [float(e.get("timestamp") or 0) for e in events if e.get("event") == "user"]
    return max(times) if times else None


def paused(events: list[dict[str, Any]]) -> bool:
    """Whether the tracker's conversation is paused (Rasa's own pause and resume)."""
    state = False
    for event in events:
        kind = event.get("event")
        if kind == "pause":
            state = True
        elif kind in ("resume", "restart", "session_started"):
            state = False
    return state
