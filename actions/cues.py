"""The dialogue's language knowledge (``knowledge_base/dialogue.yml``), compiled once.

Which part of a service a message asks about, which follow-up words name no service,
and which language the citizen writes in: editors extend the data file, this module
only turns it into patterns. Compiled once per engine (the engine is swapped when the
index is rebuilt), never per message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from actions.reply import Turn
from actions.texts import Lang
from embeddings.engine import SearchEngine
from navigator.kb.schema import DialogueCues

GAP = "..."  # in a cue: up to GAP_WORDS other words ("sambung* ... orang")
GAP_WORDS = 3


def _cue_pattern(cue: str) -> str:
    pattern = ""
    for word in cue.split():
        if word == GAP:
            pattern += rf"(?:\s+\S+){{0,{GAP_WORDS}}}?"
            continue
        text = "|".join(
            re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in word.split("|")
        )
        pattern += (r"\s+" if pattern else "") + f"(?:{text})"
    return pattern


def compile_cues(cues: list[str]) -> re.Pattern[str]:
    """One pattern for a list of cues: whole words, ``word*`` as a prefix, ``a|b`` for
    either word, ``...`` for up to three other words between two ("sambung* ... orang":
    "sambungkan lah sama orang")."""
    alternatives = [_cue_pattern(cue) for cue in sorted(cues, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def cue_words(cue: str) -> list[str]:
    """The words of a cue, without its gaps, each of its alternatives."""
    return [a for w in cue.split() if w != GAP for a in w.split("|")]


@dataclass(frozen=True)
class Cues:
    """Compiled language knowledge of one knowledge base."""

    aspects: tuple[tuple[str, re.Pattern[str]], ...]
    generic: frozenset[str]  # normalised with the engine's normaliser
    english: frozenset[str]
    indonesian: frozenset[str]
    late_faq: re.Pattern[str]
    injection: re.Pattern[str]
    back_to_previous: re.Pattern[str]
    back_to_first: re.Pattern[str]
    insults: re.Pattern[str]
    frustration: re.Pattern[str]
    smalltalk: tuple[tuple[str, re.Pattern[str]], ...]
    handoff: re.Pattern[str]
    complaint: re.Pattern[str]
    topic_change: re.Pattern[str]
    negated: re.Pattern[str]  # a negation and the two words after it ("blm nikah")
    obtain: re.Pattern[str]  # asking how to get a document ("apply for one")
    commands: tuple[tuple[str, re.Pattern[str]], ...]
    spell: Callable[[str], str]  # chat spelling to standard words ("hrs sndiri": harus sendiri)

    def forms(self, text: str) -> Iterator[str]:
        """The message as typed (lower case), then, only if asked for, with its chat
        spellings made standard ("hrs sy sndiri": harus saya sendiri)."""
        yield text.lower()
        yield self.spell(text)

    def command(self, text: str) -> str | None:
        """The command a whole message is ("berhenti", "privasi", "ringkasan", "iya"),
        as typed or with its chat spellings made standard; None for anything else."""
        for form in (text, self.spell(text)):
            words = " ".join(re.findall(r"[\w-]+", form.lower()))
            for name, cue in self.commands:
                if words and cue.fullmatch(words):
                    return name
        return None

    def complains(self, text: str) -> bool:
        """A complaint about how a service was delivered ("ditolak terus", "pungli"), as
        typed or with its chat spellings made standard ("lapor aj petugasnya")."""
        return any(self.complaint.search(form) for form in self.forms(text))

    def wants_human(self, text: str) -> bool:
        """The message asks for a person: a phrase ("sambungkan lah sama orang", "ada nmr
        yg bs dihubungi", as typed or spelled standard), or a word such as "petugas" alone."""
        for form in self.forms(text):
            found = self.handoff.search(form)
            if found is not None and (len(found.group(0).split()) > 1 or len(text.split()) <= 3):
                return True
        return False

    def smalltalk_of(self, text: str) -> tuple[str, str] | None:
        """(intent, the rest of the message) when it has thanks, a greeting or a goodbye."""
        lowered = text.lower()
        for intent, pattern in self.smalltalk:
            if pattern.search(lowered):
                return intent, pattern.sub(" ", lowered)
        return None

    def without_negated(self, text: str) -> str:
        """The message without what it says does not hold ("adk sy blm nikah": "adk sy")."""
        return " ".join(self.negated.sub(" ", text.lower()).split())

    def asks_to_obtain(self, text: str) -> bool:
        """The message asks how to get a document ("do I need to apply for one?")."""
        return any(self.obtain.search(form) for form in self.forms(text))

    def changes_topic(self, text: str) -> bool:
        """The message says it leaves the conversation's topic ("unrelated, but ...")."""
        return bool(self.topic_change.search(text.lower()))

    def is_injection(self, text: str) -> bool:
        """The text tries to give the bot instructions ("SYSTEM: ignore ...")."""
        return bool(self.injection.search(text.lower()))

    def back_reference(self, text: str) -> str | None:
        """``first`` or ``previous`` when the message goes back to an earlier service."""
        lowered = text.lower()
        if self.back_to_first.search(lowered):
            return "first"
        if self.back_to_previous.search(lowered):
            return "previous"
        return None

    def without_dialogue(self, text: str) -> str:
        """The message without what it says to the dialogue rather than about a service:
        small talk, frustration and complaint phrases ("halo kak", "capek bgt", "ditolak
        terus"), so that "udh 3x ngurus akta anak ditolak terus, capek bgt" is searched
        as a question about the birth certificate."""
        lowered = text.lower()
        for pattern in (self.complaint, self.frustration, *(p for _, p in self.smalltalk)):
            lowered = pattern.sub(" ", lowered)
        return " ".join(lowered.split())

    def upset(self, text: str) -> bool:
        """An insult or a sign of frustration."""
        lowered = text.lower()
        return bool(self.insults.search(lowered) or self.frustration.search(lowered))

    def aspect_of(self, text: str) -> str | None:
        """The part of a service a message asks about ("brp lama jdnya" -> time), as
        typed or with its chat spellings made standard ("hrs sy sndiri?" -> proxy). A cue
        of more words beats a shorter one; between equals, the earlier aspect wins."""
        for form in self.forms(text):
            found = [
                (len(m.group(0).split()), -i, name)
                for i, (name, cue) in enumerate(self.aspects)
                if (m := cue.search(form))
            ]
            if found:  # the longest cue wins ("bara lamo": time, not "bara": fee), then order
                return max(found)[2]
        return None

    def cues_aspect(self, text: str, aspect: str) -> bool:
        """Whether the words hold a cue of ``aspect`` (as typed or spelled standard)."""
        cue = dict(self.aspects).get(aspect)
        return cue is not None and any(cue.search(form) for form in self.forms(text))

    def language(self, turn: Turn) -> Lang:
        """The reply language: from the words typed, else the conversation's, else the hint."""
        if not turn.is_payload:
            words = re.findall(r"[a-z']+", turn.text.lower())
            english = sum(w in self.english for w in words)
            indonesian = sum(w in self.indonesian for w in words)
            if english != indonesian:
                return "en" if english > indonesian else "id"
        for value in (turn.lang, turn.lang_hint):
            if value in ("id", "en"):
                return value  # type: ignore[return-value]
        return "id"


def _generic(data: DialogueCues, engine: SearchEngine) -> frozenset[str]:
    """The generic words, normalised, with the glossary's spellings of them (brp, gak),
    and the words the dialogue itself reads as cues: going back ("yang pertama"), small
    talk, asking for a person, and one-word aspect cues ("diwakilin")."""
    words = list(data.generic_words)
    for phrases in (data.back_to_previous, data.back_to_first, data.handoff):
        words += [w for p in phrases for w in cue_words(p)]
    for phrases in data.smalltalk.values():
        words += [w for p in phrases for w in cue_words(p)]
    words += [c.rstrip("*") for a in data.aspects for c in a.cues if " " not in c]
    generic = set(engine.normalizer.terms(" ".join(words)))
    for entry in engine.kb.glossary:
        means = set(engine.normalizer.terms(entry.means))
        if means and means <= generic:
            generic.update(engine.normalizer.terms(entry.term))
    return frozenset(generic)


def _negated(negations: list[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(negations, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words or '(?!)'})(?:\s+[\w-]+){{1,2}}")


def build(data: DialogueCues, engine: SearchEngine) -> Cues:
    """Compile the data file's lists."""
    return Cues(
        aspects=tuple((a.aspect, compile_cues(a.cues)) for a in data.aspects),
        generic=_generic(data, engine),
        english=frozenset(data.language_words.en),
        indonesian=frozenset(data.language_words.id),
        late_faq=compile_cues(data.late_faq),
        injection=compile_cues(data.injection),
        back_to_previous=compile_cues(data.back_to_previous),
        back_to_first=compile_cues(data.back_to_first),
        insults=compile_cues(data.insults),
        frustration=compile_cues(data.frustration),
        smalltalk=tuple((intent, compile_cues(cues)) for intent, cues in data.smalltalk.items()),
        handoff=compile_cues(data.handoff),
        complaint=compile_cues(data.complaint),
        topic_change=compile_cues(data.topic_change),
        negated=_negated(data.negations),
        obtain=compile_cues(data.obtain) if data.obtain else re.compile("(?!)"),
        commands=tuple((name, compile_cues(cues)) for name, cues in data.commands.items()),
        spell=engine.normalizer.clean,
    )


@functools.lru_cache(maxsize=4)
def cues_of(engine: SearchEngine) -> Cues:
    """The compiled cues of the engine's knowledge base."""
    if engine.kb.dialogue is None:
        raise RuntimeError("the index has no dialogue.yml: run 'navigator index build'")
    return build(engine.kb.dialogue, engine)
