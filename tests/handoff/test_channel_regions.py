"""A shared location or a named region gives that region's offices and MPP in "where"
answers, through both adapters (against the Bot API and Graph API fakes)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.channels.servers import wait_until
from tests.handoff.world import World

pytestmark = pytest.mark.integration

SLEMAN = (-7.7156, 110.3553)  # Sleman town centre


def whatsapp_texts(world: World, wa_id: str) -> str:
    parts = []
    for p in world.graph.sent(wa_id):
        body: Any = p.get("text") or p.get("interactive", {}).get("body") or {}
        parts.append(str(body.get("body") or body.get("text") or json.dumps(p)))
    return "\n".join(parts)


def test_a_telegram_location_brings_the_regions_mpp(world: World) -> None:
    chat = 700_000_301
    world.tell_telegram(chat, "cara bikin akta kelahiran anak")
    wait_until(lambda: any("AKTA KELAHIRAN" in t for t in world.telegram.sent_texts(chat)), 60)
    before = len(world.telegram.sent_texts(chat))
    world.tell_telegram_location(chat, *SLEMAN)
    wait_until(
        lambda: any("Di Kabupaten Sleman:" in t for t in world.telegram.sent_texts(chat)[before:]),
        30,
    )
    assert any(
        "Mal Pelayanan Publik Kabupaten Sleman" in t for t in world.telegram.sent_texts(chat)
    )


def test_a_region_named_on_whatsapp_is_remembered(world: World) -> None:
    wa_id = "6281299900301"
    world.tell_whatsapp(wa_id, "akta kelahiran ngurusnya di mana? sy tinggal di sleman")
    wait_until(lambda: "Di Kabupaten Sleman:" in whatsapp_texts(world, wa_id), 60)
    sent = len(world.graph.sent(wa_id))
    world.tell_whatsapp(wa_id, "kalau KK tambah anak di mana?")
    wait_until(lambda: len(world.graph.sent(wa_id)) > sent, 30)
    # the region was remembered: the next service's places come with Sleman's too
    wait_until(lambda: whatsapp_texts(world, wa_id).count("Di Kabupaten Sleman:") >= 2, 10)
