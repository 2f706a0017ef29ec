"""Replies in a row that did not help, and when the human route is offered for them."""

from __future__ import annotations

from actions.cues import cues_of
from actions.reply import Message, Reply, Turn
from actions.texts import say
from embeddings.engine import SearchEngine


def count_strikes(engine: SearchEngine, turn: Turn, reply: Reply) -> Reply:
    """Replies in a row that did not help (a refusal or a question back while a service
    is in focus, an insult, frustration): at two, the human route is offered; a
    complaint about how a service was delivered gets it at once."""
    unhelpful = any(
        m.custom and m.custom.get("reply") in ("refusal", "clarify", "calm") for m in reply.messages
    )
    upset = not turn.is_payload and cues_of(engine).upset(turn.text)
    strikes = turn.strikes + 1 if upset or (unhelpful and turn.focus) else 0
    handed_off = any(m.custom and m.custom.get("handoff") for m in reply.messages)
    complains = not turn.is_payload and cues_of(engine).complains(turn.text)
    if (strikes >= 2 or complains) and not handed_off:
        lang = cues_of(engine).language(turn)
        reply.messages.append(Message(say("offer_human", lang), custom={"reply": "offer_human"}))
        reply.handoff = "complaint" if complains else "frustrated" if upset else "unhelped"
        strikes = 0
    if strikes != turn.strikes:
        reply.slots["strikes"] = float(strikes)
    return reply
