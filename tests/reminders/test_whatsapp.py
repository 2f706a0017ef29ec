"""Reminders to WhatsApp through the real command against the fake Graph API: buttons
inside the 24-hour window (the citizen's last message in Rasa's tracker), the approved
template outside it or when the tracker cannot be read."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from navigator.reminders import texts
from navigator.reminders.store import Reminder, ReminderStore
from tests.channels.fake_graph import VERSION, FakeGraph
from tests.reminders.conftest import Served
from tests.reminders.support import FakeRasaTracker, reminder_env, run, start

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2027, 1, 1, 10, 0, tzinfo=WIB)
DUE = date(2027, 1, 20)
AT = datetime(2027, 1, 13, 9, 0, tzinfo=WIB)  # the before7 reminders are due
INSIDE = "6281200000001"  # wrote an hour ago
INSIDE_EN = "6281200000002"  # wrote an hour ago, in English
OUTSIDE = "6281200000003"  # wrote two days ago
NEW = "6281200000004"  # Rasa knows no messages of theirs
BROKEN = "6281200000005"  # Rasa's tracker store fails for them


def env_for(db: Path, graph: Served, rasa: Served, **extra: str) -> dict[str, str]:
    return reminder_env(
        db,
        WHATSAPP_API_BASE_URL=f"{graph.url}/{VERSION}",
        RASA_URL=rasa.url,
        WHATSAPP_TEMPLATE_LANGUAGE="id",
        **extra,
    )


def schedule(store: ReminderStore, wa_id: str, language: str = "id") -> Reminder:
    sender = f"whatsapp:{wa_id}"
    store.grant(sender, "whatsapp", language, "Boleh kami ingatkan?", NOW)
    title = "Birth Certificate" if language == "en" else "Akta Kelahiran"
    return store.schedule(sender, "whatsapp", language, "akta-kelahiran", title, DUE, NOW)[0]


def only(graph: FakeGraph, wa_id: str) -> dict[str, Any]:
    (payload,) = graph.sent(wa_id)
    return payload


def test_buttons_inside_the_window_and_the_template_outside_it(
    tmp_path: Path, graph: Served, rasa: Served
) -> None:
    assert isinstance(graph.fake, FakeGraph) and isinstance(rasa.fake, FakeRasaTracker)
    tracker = rasa.fake
    tracker.wrote_at(f"whatsapp:{INSIDE}", (AT - timedelta(hours=1)).timestamp())
    tracker.wrote_at(f"whatsapp:{INSIDE_EN}", (AT - timedelta(hours=1)).timestamp())
    tracker.wrote_at(f"whatsapp:{OUTSIDE}", (AT - timedelta(days=2)).timestamp())
    tracker.broken.add(f"whatsapp:{BROKEN}")
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    made = {wa_id: schedule(store, wa_id) for wa_id in (INSIDE, OUTSIDE, NEW, BROKEN)}
    made[INSIDE_EN] = schedule(store, INSIDE_EN, "en")

    child = start(["run", "--now", AT.isoformat()], env_for(db, graph, rasa))
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    report = json.loads(out)
    assert (report["sent"], report["templates"], report["failed"]) == (5, 3, 0)
    for wa_id in made:
        assert wa_id not in err  # phone numbers never reach the log
    assert {f"whatsapp:{w}" for w in made} <= set(tracker.requests)

    inside = only(graph.fake, INSIDE)
    assert inside["type"] == "interactive" and inside["interactive"]["type"] == "button"
    assert inside["interactive"]["body"]["text"] == texts.message("Akta Kelahiran", DUE, AT.date())
    buttons = inside["interactive"]["action"]["buttons"]
    assert [(b["reply"]["title"], b["reply"]["id"]) for b in buttons] == [
        ("Sudah selesai", f'/reminder_done{{"r":"{made[INSIDE].id}"}}'),
        ("Ingatkan besok", f'/reminder_tomorrow{{"r":"{made[INSIDE].id}"}}'),
    ]
    english = only(graph.fake, INSIDE_EN)["interactive"]
    assert english["body"]["text"].startswith("Reminder: the deadline for Birth Certificate")
    assert [b["reply"]["title"] for b in english["action"]["buttons"]] == [
        "Done",
        "Remind me tomorrow",
    ]

    for wa_id in (OUTSIDE, NEW, BROKEN):
        template = only(graph.fake, wa_id)["template"]
        assert (template["name"], template["language"]) == ("navigator_reminder", {"code": "id"})
        body, *quick = template["components"]
        assert body == {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "Akta Kelahiran"},
                {"type": "text", "text": "20 Januari 2027"},
            ],
        }
        assert quick == [
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(i),
                "parameters": [{"type": "payload", "payload": payload}],
            }
            for i, (_, payload) in enumerate(texts.buttons(made[wa_id].id))
        ]
    assert {r.status for r in store.all_reminders() if r.kind == "before7"} == {"sent"}


def test_a_template_graph_does_not_know_gives_up_at_once(
    tmp_path: Path, graph: Served, rasa: Served
) -> None:
    assert isinstance(graph.fake, FakeGraph)
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    reminder = schedule(store, "6281200000009")
    env = env_for(db, graph, rasa, WHATSAPP_REMINDER_TEMPLATE="not_approved")
    report = run(["run", "--now", AT.isoformat()], env)
    assert (report["sent"], report["failed"]) == (0, 1)
    assert graph.fake.sent("6281200000009") == []
    assert store.get(reminder.id).status == "failed"  # type: ignore[union-attr]
