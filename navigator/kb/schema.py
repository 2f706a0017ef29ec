"""Typed schema of the knowledge base: the single definition of its format.

Indonesian is the primary language; every citizen-facing field has an English twin
named with the suffix ``_en``. The validator, the search index, the bot and the
console all read the knowledge base through these models.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

LIFE_EVENT_IDS: tuple[str, ...] = (
    "birth",
    "education",
    "work",
    "business",
    "old_age",
    "marriage",
    "moving",
    "death",
)

LifeEventId = Literal[
    "birth", "education", "work", "business", "old_age", "marriage", "moving", "death"
]

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Strict(BaseModel):
    """Base: unknown keys are errors, so a misspelt field is caught, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Fee(_Strict):
    """What the citizen pays. ``free`` is true only where the service is free by law."""

    free: bool
    text: str = Field(min_length=1)
    text_en: str = Field(min_length=1)


class ProcessingTime(_Strict):
    """How long it takes, as the regulation or the official page states it."""

    text: str = Field(min_length=1)
    text_en: str = Field(min_length=1)


Channel = Literal["office", "mpp", "online", "app", "village"]


class Place(_Strict):
    """Where the service is delivered: an office, a Mal Pelayanan Publik or a portal."""

    institution: str = Field(pattern=SLUG)
    channel: Channel
    text: str = Field(min_length=1)
    text_en: str = Field(min_length=1)
    url: HttpUrl | None = None


class Source(_Strict):
    """A regulation or official page that the facts come from."""

    title: str = Field(min_length=1)
    url: HttpUrl | None = None


class Fact(_Strict):
    """A fact citizens ask about, in both languages, with the page it comes from.

    ``source`` must be the URL of one of the service's ``sources``: the validator
    checks it, and the bot names it when a citizen wants to check the fact.
    """

    text: str = Field(min_length=1)
    text_en: str = Field(min_length=1)
    source: HttpUrl | None = None


DeadlineUnit = Literal["days", "working_days", "months", "years"]


class Deadline(Fact):
    """The legal deadline: how long, counted from what, and what happens after it.

    ``within``/``unit``/``counted_from`` are filled only where a regulation sets a
    number; reminders compute dates from them. ``before`` is true for deadlines that
    fall before the event (register at the KUA ten working days before the wedding).
    """

    within: int | None = Field(default=None, gt=0)
    unit: DeadlineUnit | None = None
    counted_from: str | None = None
    counted_from_en: str | None = None
    before: bool = False
    after: str | None = Field(default=None, description="What happens when it is missed.")
    after_en: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Deadline:
        numbers = (self.within, self.unit, self.counted_from, self.counted_from_en)
        if any(v is not None for v in numbers) and any(v is None for v in numbers):
            raise ValueError("within, unit, counted_from and counted_from_en go together")
        if (self.after is None) != (self.after_en is None):
            raise ValueError("after and after_en go together")
        return self


OnlineChannel = Literal["web", "app", "whatsapp", "email", "phone"]


class Online(Fact):
    """Whether the service can be done online, and through which channel."""

    available: Literal["full", "partial", "none"]
    channels: list[OnlineChannel] = Field(default_factory=list)
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _channels(self) -> Online:
        if self.available != "none" and not self.channels:
            raise ValueError("name the channels (web, app, whatsapp, email, phone)")
        return self


class Proxy(Fact):
    """Whether someone else may apply for the citizen, and with what."""

    allowed: bool


class Faq(_Strict):
    """A frequent follow-up question (late registration, lost document, ...)."""

    q: str = Field(min_length=1)
    a: str = Field(min_length=1)
    q_en: str = Field(min_length=1)
    a_en: str = Field(min_length=1)


class Service(_Strict):
    """One public service, as a citizen needs to know it."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names people use, old names included (PPDB, kartu kuning, SIUP).",
    )
    summary: str = Field(min_length=1)
    summary_en: str = Field(min_length=1)
    life_events: list[LifeEventId] = Field(min_length=1)
    audience: str = Field(min_length=1)
    audience_en: str = Field(min_length=1)
    requirements: list[str] = Field(min_length=1)
    requirements_en: list[str] = Field(min_length=1)
    steps: list[str] = Field(min_length=1)
    steps_en: list[str] = Field(min_length=1)
    fee: Fee
    processing_time: ProcessingTime
    where: list[Place] = Field(min_length=1)
    legal_basis: list[str] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    last_checked: dt.date
    deadline: Deadline | None = None
    eligibility: Fact | None = None
    benefit: Fact | None = None
    online: Online | None = None
    validity: Fact | None = None
    proxy: Proxy | None = None
    related: list[str] = Field(default_factory=list)
    faq: list[Faq] = Field(default_factory=list)
    examples: list[str] = Field(min_length=1)
    examples_en: list[str] = Field(min_length=1)

    @field_validator("life_events", "related")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists the same id twice")
        return value


class Situation(_Strict):
    """A situation within a life event ("di-PHK") and the services that come first for it."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    services: list[str] = Field(min_length=1)


class LifeEvent(_Strict):
    """A life event and its journey: the services it needs, in the recommended order."""

    id: LifeEventId
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    journey: list[str] = Field(min_length=1)
    cues: list[str] = Field(
        default_factory=list,
        description="Words and phrases people use when this event happens to them.",
    )
    situations: list[Situation] = Field(default_factory=list)


GlossaryKind = Literal[
    "abbreviation", "slang", "typo", "regional", "old_name", "synonym", "english"
]


class GlossaryEntry(_Strict):
    """An everyday word mapped to the term the services use (akte -> akta)."""

    term: str = Field(min_length=1)
    means: str = Field(min_length=1)
    kind: GlossaryKind
    note: str | None = None

    @field_validator("term")
    @classmethod
    def _lowercase(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError("terms are written in lower case")
        return value


class Institution(_Strict):
    """An institution that delivers services (Dukcapil, BPJS, KUA, ...)."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    url: HttpUrl | None = None


FACT_FIELDS: tuple[str, ...] = ("deadline", "eligibility", "benefit", "online", "validity", "proxy")
"""The optional fields citizens ask about, beside requirements, steps, fee and time."""


AspectName = Literal[
    "requirements",
    "fee",
    "where",
    "time",
    "steps",
    "late",
    "next",
    "deadline",
    "eligibility",
    "benefit",
    "online",
    "validity",
    "proxy",
]

_CUE_WORD = r"[a-z0-9'/:#\[\]-]+\*?(?:\|[a-z0-9'/:#\[\]-]+\*?)*"  # "a|b": either word
# "..." between two words: up to three other words there ("sambung* ... orang")
CUE_PATTERN = re.compile(rf"^{_CUE_WORD}(?: (?:\.\.\. )?{_CUE_WORD})*$")


def _cue(value: str) -> str:
    if not CUE_PATTERN.match(value):
        raise ValueError(
            f"cue {value!r}: lower-case words separated by single spaces, "
            "'*' only at the end of a word, 'a|b' for either word, '...' only between two words"
        )
    return value


def _distinct(value: list[str]) -> list[str]:
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise ValueError(f"lists the same cue twice: {', '.join(repeated)}")
    return value


Cue = Annotated[str, AfterValidator(_cue)]
"""A word or phrase matched on whole words; ``biaya*`` also matches biayanya."""
Cues = Annotated[list[Cue], Field(min_length=1), AfterValidator(_distinct)]


class AspectCues(_Strict):
    """The words that tell which part of a service a message asks about."""

    aspect: AspectName
    cues: Cues


class LanguageWords(_Strict):
    """Frequent words of each language, to answer in the language the citizen writes."""

    id: Cues
    en: Cues


class DialogueCues(_Strict):
    """Language knowledge of the dialogue (``dialogue.yml``), kept as data for editors.

    ``aspects`` are tried in order; the first with a cue in the message wins.
    ``generic_words`` are follow-up words that can name no service. ``late_faq`` picks
    the frequent questions that answer "too late, lost or expired". ``injection`` marks
    text that tries to instruct the bot (never answered with a service); ``back_to_previous``
    and ``back_to_first`` move the focus back; ``insults`` and ``frustration`` get a calm
    reply and, repeated, the human route. ``smalltalk`` and ``handoff`` catch, in any
    language, what the intent classifier misses: a message that is only thanks or a
    greeting, or that asks for a person. ``complaint`` marks a complaint about how a
    service was delivered: the answer then carries the complaint route. ``commands`` are
    whole messages with one meaning: ``stop`` withdraws every reminder consent, ``privacy``
    shows what is stored about the citizen, ``summary`` gives a case code, and ``yes`` /
    ``no`` answer the reminder offer just made (only then, and only as the whole message).
    ``topic_change`` says the message leaves the conversation's topic ("unrelated, but"):
    it is no follow-up of the service in focus. ``negations`` say a state does not hold:
    with a service in focus, a life event's word in the two words after one ("blm nikah")
    is a condition of the question, not an event told. ``obtain`` asks how to get a
    document ("apply for one", "cara bikinnya"): a document the focus needs, asked for
    that way, is a question about the document's own service.
    """

    aspects: list[AspectCues] = Field(min_length=1)
    generic_words: Cues
    language_words: LanguageWords
    late_faq: Cues
    injection: Cues
    back_to_previous: Cues
    back_to_first: Cues
    insults: Cues
    frustration: Cues
    smalltalk: dict[Literal["greet", "thank", "goodbye"], Cues]
    handoff: Cues
    complaint: Cues
    topic_change: Cues = Field(default_factory=list)
    negations: Cues = Field(default_factory=list)
    obtain: Cues = Field(default_factory=list)
    commands: dict[Literal["stop", "privacy", "summary", "yes", "no"], Cues] = Field(
        default_factory=dict
    )

    @field_validator("aspects")
    @classmethod
    def _each_aspect_once(cls, value: list[AspectCues]) -> list[AspectCues]:
        names = [a.aspect for a in value]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"aspect listed twice: {', '.join(repeated)}")
        return value
