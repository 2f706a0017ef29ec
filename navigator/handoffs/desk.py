"""What an agent does with a handoff: claim, read, write, hand back.

The queue's row (:mod:`navigator.handoffs.store`) says who holds the conversation;
Rasa's own pause (``ConversationPaused``) keeps the bot silent while an agent holds it,
and its resume gives the conversation back. An agent's message goes to the citizen's
channel first (:mod:`navigator.handoffs.delivery`) and is then written to the tracker
as a ``bot`` event with ``metadata.agent``, so the transcript shows it in order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from navigator.handoffs import transcript
from navigator.handoffs.delivery import Delivered, Delivery, DeliveryError
from navigator.handoffs.rasa_api import RasaAPI, RasaAPIError
from navigator.handoffs.store import Handoff, HandoffError, HandoffStore
from navigator.handoffs.texts import say
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

MAX_TEXT = 4000


@dataclass(frozen=True)
class Conversation:
    """A handoff with its transcript."""

    handoff: Handoff
    lines: list[transcript.Line]
    paused: bool


class Desk:
    """The handoff operations the console's routes call."""

    def __init__(self, store: HandoffStore, rasa: RasaAPI, delivery: Delivery) -> None:
        self.store = store
        self.rasa = rasa
        self.delivery = delivery

    def find(self, handoff_id: str) -> Handoff:
        """The handoff, or 404."""
        found = self.store.get(handoff_id)
        if found is None:
            raise HandoffError("no such handoff", 404)
        return found

    async def conversation(self, handoff_id: str) -> Conversation:
        """The handoff and its transcript from the tracker store."""
        handoff = self.find(handoff_id)
        events = await self.rasa.events(handoff.sender)
        return Conversation(handoff, transcript.lines(events), transcript.paused(events))

    async def claim(self, handoff_id: str, agent: str) -> Handoff:
        """Take the conversation: the bot pauses, the citizen is told who answers."""
        handoff = self.store.claim(handoff_id, agent)
        try:
            await self.rasa.pause(handoff.sender)
        except RasaAPIError:
            self.store.release(handoff_id, agent, force=True)  # nobody holds it half
            raise
        try:
            events = await self.rasa.events(handoff.sender)
            await self._say(handoff, say("claimed", handoff.language, agent=agent), agent, events)
        except (DeliveryError, RasaAPIError) as exc:  # the claim stands; the agent writes
            logger.warning("claim line to %s not sent: %s", pseudonym(handoff.sender), exc)
        return handoff

    async def send(self, handoff_id: str, agent: str, text: str) -> Delivered:
        """The agent's message to the citizen, on the citizen's channel."""
        text = text.strip()
        if not text:
            raise HandoffError("the message is empty", 422)
        if len(text) > MAX_TEXT:
            raise HandoffError(f"the message is longer than {MAX_TEXT} characters", 422)
        handoff = self.find(handoff_id)
        if handoff.status != "claimed":
            raise HandoffError("claim the conversation before writing to the citizen", 409)
        if handoff.claimed_by != agent:
            raise HandoffError(f"claimed by {handoff.claimed_by}", 403)
        events = await self.rasa.events(handoff.sender)
        return await self._say(handoff, text, agent, events)

    async def _say(
        self, handoff: Handoff, text: str, agent: str, events: list[dict[str, Any]]
    ) -> Delivered:
        delivered = await self.delivery.send(
            handoff.sender, text, transcript.last_citizen_at(events), channel=handoff.channel
        )
        try:
            await self.rasa.said(handoff.sender, text, agent)
        except RasaAPIError as exc:  # it reached the citizen; only the record is missing
            logger.warning("agent message to %s not recorded: %s", pseudonym(handoff.sender), exc)
        return delivered

    async def release(self, handoff_id: str, agent: str, *, force: bool = False) -> Handoff:
        """Back to the bot, with one line to the citizen."""
        handoff = self.store.release(handoff_id, agent, force=force)
        if handoff.claimed_by is None:
            return handoff  # it was only waiting: the bot never stopped
        await self.rasa.resume(handoff.sender)
        try:
            events = await self.rasa.events(handoff.sender)
            await self.delivery.send(
                handoff.sender,
                say("released", handoff.language),
                transcript.last_citizen_at(events),
                channel=handoff.channel,
            )
            await self.rasa.said(handoff.sender, say("released", handoff.language), "")
        except (DeliveryError, RasaAPIError) as exc:
            logger.warning("release line to %s not sent: %s", pseudonym(handoff.sender), exc)
        return handoff
