"""What the bot answers, decided with the search engine: pure functions, no Rasa here.

Each ``answer_*`` function takes the engine and a :class:`Turn` (what the action read
from the tracker) and returns a :class:`Reply`: the messages to send, the slots to set
and, for editors, what to record in the insight store.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from actions.texts import Lang, confirm, say
from embeddings.engine import SearchEngine, SearchResult
from navigator.kb import render
from navigator.kb.schema import Service

MAX_PLACES = 3
MAX_ALTERNATIVES = 2
EVENT_SHARE = 0.5  # the life event guess is taken when it holds this share of the evidence
CLARIFY_EVENTS = 3
CLEAR_EVENT = 0.6  # ... and with a cue word of the event in the message, this is enough

# Intent -> the part of the service in focus that a follow-up asks for.
ASPECTS: dict[str, str] = {
    "ask_requirements": "requirements",
    "ask_fee": "fee",
    "ask_where": "where",
    "ask_time": "time",
    "ask_steps": "steps",
    "ask_late": "late",
    "ask_next": "next",
    "share_location": "where",
}

# Words of follow-up questions that name no service: matching only these never moves
# the focus to another service. Normalised with the engine's own normaliser.
GENERIC_WORDS = """
syarat syaratnya persyaratan bawa dokumen berkas apa aja saja perlu butuh harus siap
biaya biayanya bayar berapa gratis tarif ongkos duit harga denda dendanya
mana dimana tempat kantor datang ke online daring lewat hp alamat website link daftar
lama lamanya berapa hari proses jadi kapan nunggu selesai waktu
langkah cara caranya prosedur alur urutan tahap gimana bagaimana gmn
telat terlambat lewat batas kadaluarsa kedaluwarsa habis hilang mati rusak
terus habis itu lalu setelah selanjutnya berikutnya lanjut lagi next
kalau kalo klo sudah udah belum ga tidak ada bisa mau ingin saya sy aku
apakah adakah istri suami bini laki anak bayi ayah ibu bapak orang tua ortu keluarga kami kita mereka dia
the a is it do i what how much where when long steps late lost expired next
need bring cost fee free office apply online take days
"""

# Words that tell which part of a service a message asks about, when NLU did not say.
ASPECT_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "ask_late",
        re.compile(
            r"\b(telat|terlambat|lewat|kadaluarsa|kedaluwarsa|hilang|ilang|"
            r"rusak|denda|late|overdue|expired?|lost)\b"
        ),
    ),
    (
        "ask_next",
        re.compile(
            r"(habis itu|abis itu|setelah itu|selanjutnya|berikutnya|trs apa|"
            r"terus apa|what'?s next|after that|next step)"
        ),
    ),
    (
        "ask_fee",
        re.compile(
            r"\b(biaya\w*|bayar|gratis|tarif\w*|harga\w*|ongkos\w*|duit|iuran\w*|"
            r"cost|fee|free|price|pay)\b"
        ),
    ),
    (
        "ask_time",
        re.compile(
            r"(\blama\w*|berapa hari|brp hari|kapan jadi|\bjd\w*\b|how long|"
            r"how many days|\bcair\w*)"
        ),
    ),
    (
        "ask_where",
        re.compile(
            r"\b(di ?mana|dmn|ke ?mana|kmn|tempat\w*|kantor\w*|online|daring|"
            r"lewat hp|where|office|website|link)\b"
        ),
    ),
    (
        "ask_requirements",
        re.compile(
            r"\b(syarat\w*|perlu|butuh|need|persyaratan\w*|bawa|dokumen\w*|berkas\w*|"
            r"require\w*|bring|documents?)\b"
        ),
    ),
    (
        "ask_steps",
        re.compile(
            r"\b(langkah\w*|prosedur\w*|alur\w*|tahap\w*|caranya|steps?|"
            r"procedure)\b"
        ),
    ),
]

LATE_CUES = re.compile(
    r"telat|terlambat|lewat|kedaluwarsa|kadaluarsa|habis|mati|hilang|rusak|denda|"
    r"late|overdue|expire|lost|fine|damaged",
    re.IGNORECASE,
)


@dataclass
class Turn:
    """What an action knows about the message it answers."""

    text: str
    intent: str
    entities: dict[str, list[str]] = field(default_factory=dict)
    entity_texts: dict[str, list[str]] = field(default_factory=dict)  # as typed
    focus: str | None = None  # slot `service`
    life_event: str | None = None  # slot `life_event`
    lang: str | None = None  # slot `lang`
    lang_hint: str | None = None  # the adapter's language setting (metadata)
    intent_ranking: list[str] = field(default_factory=list)

    @property
    def is_payload(self) -> bool:
        """A button payload (``/intent{...}``) rather than typed text."""
        return self.text.startswith("/")

    def entity(self, name: str) -> str | None:
        """The entity's value when it has exactly one distinct value."""
        values = list(dict.fromkeys(self.entities.get(name, [])))
        return values[0] if len(values) == 1 else None


@dataclass
class Message:
    """One bot message for the REST channel."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # Rasa's REST channel splits a text at blank lines into separate chat bubbles
        self.text = re.sub(r"\n\s*\n+", "\n", self.text.strip())


@dataclass
class Note:
    """A query for the editors' insight store."""

    reason: str
    query: str
    results: list[dict[str, Any]]
    confidence: float | None = None
    life_event: str | None = None


@dataclass
class Reply:
    """Messages, slots to set, and optionally a note for editors."""

    messages: list[Message]
    slots: dict[str, Any] = field(default_factory=dict)
    note: Note | None = None

    def services(self) -> list[str]:
        """Service ids this reply offers (answered or as buttons)."""
        found: list[str] = []
        for message in self.messages:
            if message.custom and message.custom.get("service"):
                found.append(str(message.custom["service"]))
            for button in message.buttons:
                sid = service_of_payload(button["payload"])
                if sid:
                    found.append(sid)
        return list(dict.fromkeys(found))


# -- small helpers -------------------------------------------------------------------
def service_button(service: Service, lang: Lang, prefix: str = "") -> dict[str, str]:
    """A button that opens a service; the payload stays under 64 bytes."""
    payload = "/choose_service" + json.dumps({"service": service.id}, separators=(",", ":"))
    return {"title": f"{prefix}{render.title(service, lang)}", "payload": payload}


def event_button(engine: SearchEngine, event_id: str, lang: Lang) -> dict[str, str]:
    """A button that opens a life event's journey."""
    event = engine.kb.life_events[event_id]
    payload = "/choose_life_event" + json.dumps({"life_event": event_id}, separators=(",", ":"))
    return {"title": event.name_en if lang == "en" else event.name, "payload": payload}


def service_of_payload(payload: str) -> str | None:
    """The service id a ``/choose_service{...}`` payload opens."""
    if not payload.startswith("/choose_service"):
        return None
    try:
        value = json.loads(payload[len("/choose_service") :]).get("service")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None


_EN_WORDS = frozenset(
    "the a an i my me we our you your is are am was what how where when which who why do does "
    "did can could should will need have has please much long take after then next if it this "
    "that with from about get got just want hello hi hey there thanks thank bye goodbye good morning "
    "evening help yes no ok okay".split()
)
_ID_WORDS = frozenset(
    "yang dan di ke dari untuk dengan ini itu ada saya sy aku gw anak cara bagaimana gimana gmn "
    "apa apakah berapa brp mau ingin bisa bs sudah udah udh belum blm tidak ga gak nggak syarat "
    "biaya bikin urus ngurus kalau kalo klo dimana mana tolong mohon kak min dong ya sih nya "
    "aja saja terus trus habis abis lalu lagi baru punya buat bayar lama halo hai makasih terima "
    "kasih selamat pagi siang sore malam permisi dadah iya tidak".split()
)


def language(turn: Turn) -> Lang:
    """The reply language: from the words typed, else the conversation's, else the hint."""
    if not turn.is_payload:
        words = re.findall(r"[a-z']+", turn.text.lower())
        english = sum(w in _EN_WORDS for w in words)
        indonesian = sum(w in _ID_WORDS for w in words)
        if english != indonesian:
            return "en" if english > indonesian else "id"
    for value in (turn.lang, turn.lang_hint):
        if value in ("id", "en"):
            return value  # type: ignore[return-value]
    return "id"


def results_of(result: SearchResult, n: int = 3) -> list[dict[str, Any]]:
    """Top hits as ``{"id", "score"}`` for the insight store."""
    return [{"id": h.id, "score": h.score} for h in result.hits[:n]]


@functools.lru_cache(maxsize=4)
def generic_terms(engine: SearchEngine) -> frozenset[str]:
    """Normalised follow-up words that name no service."""
    return frozenset(engine.normalizer.terms(GENERIC_WORDS))


def aspect_of(text: str) -> str | None:
    """The follow-up intent a message's wording points to ("brp lama jdnya" -> ask_time)."""
    lowered = text.lower()
    return next((intent for intent, cue in ASPECT_CUES if cue.search(lowered)), None)


@functools.lru_cache(maxsize=4)
def cue_terms(engine: SearchEngine) -> frozenset[str]:
    """Normalised life-event cue words ("lahir", "phk"): they tell an event, not a service."""
    cues = " ".join(c for e in engine.kb.life_events.values() for c in e.cues)
    return frozenset(engine.normalizer.terms(cues))


def specific_terms(engine: SearchEngine, result: SearchResult) -> set[str]:
    """Terms of the query that tie the top hit to a service (not generic, not event cues)."""
    top = result.top
    if top is None:
        return set()
    return set(top.matched) - generic_terms(engine) - cue_terms(engine)


def told_event(engine: SearchEngine, result: SearchResult, turn: Turn) -> str | None:
    """The life event a message tells without naming a service ("bini lahiran, urus apa?")."""
    if turn.entity("service") in engine.kb.services:
        return None
    event = turn.entity("life_event")
    if event not in engine.kb.life_events:
        event = result.life_event
        if result.life_event_scores.get(event or "", 0.0) < EVENT_SHARE:
            return None
    if specific_terms(engine, result):
        return None
    return event if event in engine.kb.life_events else None


def _is_requirement_of(focus: Service, typed: list[str]) -> bool:
    """The named document is something the focus service asks for ("perlu KK ga?")."""
    needs = " ".join(focus.requirements + focus.requirements_en).lower()
    return any(re.search(rf"\b{re.escape(t.lower())}\b", needs) for t in typed if t)


def names_a_service(engine: SearchEngine, result: SearchResult | None, turn: Turn) -> str | None:
    """The service a follow-up names, if it clearly names another one (moves the focus)."""
    focus = engine.kb.services.get(turn.focus or "")
    named = turn.entity("service")
    if named and named in engine.kb.services and named != (focus.id if focus else None):
        typed = turn.entity_texts.get("service", [])
        if (
            focus is not None
            and aspect_of(turn.text) == "ask_requirements"
            and _is_requirement_of(focus, typed)
        ):
            return None  # "perlu KK ga?" asks about the focus service's requirements
        return named
    top = result.top if result is not None else None
    if result is None or top is None or result.verdict != "sure":
        return None
    specific = specific_terms(engine, result)
    if focus is not None and focus.id in [h.id for h in result.hits[:3]]:
        # the focus fits too ("perlu notaris?"): switch only when the other one is named
        return top.id if top.id != focus.id and specific & name_terms(engine, top.id) else None
    return top.id if specific else None


@functools.lru_cache(maxsize=512)
def name_terms(engine: SearchEngine, service_id: str) -> frozenset[str]:
    """Normalised terms of a service's names (title, English title, aliases)."""
    service = engine.kb.services[service_id]
    return frozenset(
        engine.normalizer.terms(" ".join([service.title, service.title_en, *service.aliases]))
    )


def names_likely(engine: SearchEngine, result: SearchResult) -> bool:
    """The query uses a name of one of the top services (worth offering them)."""
    terms = specific_terms(engine, result)
    return any(terms & name_terms(engine, h.id) for h in result.hits[:3])


# -- rendering -------------------------------------------------------------------------
def _where(service: Service, lang: Lang) -> str:
    places = []
    for place in service.where[:MAX_PLACES]:
        text = place.text_en if lang == "en" else place.text
        places.append(f"{text} ({place.url})" if place.url else text)
    label = render.LABELS["where"][lang]
    return f"{label}:\n{render.bullets(places)}"


def _source(service: Service, lang: Lang) -> str:
    first = service.sources[0] if service.sources else None
    label = render.LABELS["sources"][lang]
    checked = f"{render.LABELS['checked'][lang]} {service.last_checked.isoformat()}"
    if first is None:
        return f"{label}: ({checked})"
    name = f"{first.title} ({first.url})" if first.url else first.title
    return f"{label}: {name}, {checked}"


def service_messages(
    engine: SearchEngine, service: Service, lang: Lang, extra: list[dict[str, str]] | None = None
) -> list[Message]:
    """A service as two phone-sized messages, with buttons for what comes next."""
    first = "\n\n".join(
        [
            render.title(service, lang).upper(),
            render.section(service, "summary", lang),
            render.section(service, "requirements", lang),
            render.section(service, "steps", lang),
        ]
    )
    second = "\n\n".join(
        [
            render.section(service, "fee", lang),
            render.section(service, "time", lang),
            _where(service, lang),
            _source(service, lang),
        ]
    )
    buttons = list(extra or [])
    following = engine.kb.next_in_journey(service.id)
    if following is not None and following.id not in {
        service_of_payload(b["payload"]) for b in buttons
    }:
        prefix = "Selanjutnya: " if lang == "id" else "Next: "
        buttons.insert(0, service_button(following, lang, prefix))
    return [
        Message(first, custom={"service": service.id}),
        Message(second, buttons=buttons),
    ]


def focus_slots(service: Service, turn: Turn, lang: Lang) -> dict[str, Any]:
    """Slots after answering ``service``: it is the focus; keep a fitting life event."""
    event = turn.life_event if turn.life_event in service.life_events else None
    if event is None and service.life_events:
        event = service.life_events[0]
    return {"service": service.id, "life_event": event, "lang": lang}


# -- answers ---------------------------------------------------------------------------
def refuse(turn: Turn, lang: Lang, result: SearchResult | None = None) -> Reply:
    """Polite refusal that says what the bot does; never a procedure."""
    note = Note(
        reason="out_of_scope",
        query=turn.text,
        results=results_of(result) if result else [],
        confidence=result.confidence if result else None,
    )
    return Reply([Message(say("out_of_scope", lang))], {"lang": lang}, note)


def clarify_events(
    engine: SearchEngine, turn: Turn, lang: Lang, result: SearchResult, reason: str
) -> Reply:
    """Ask back with the most likely life events as buttons."""
    ranked = sorted(result.life_event_scores.items(), key=lambda kv: -kv[1])
    events = [e for e, share in ranked if share > 0 and e in engine.kb.life_events]
    events = events[:CLARIFY_EVENTS] or list(engine.kb.life_events)
    buttons = [event_button(engine, e, lang) for e in events]
    note = Note(reason, turn.text, results_of(result), result.confidence, result.life_event)
    return Reply([Message(say("clarify", lang), buttons=buttons)], {"lang": lang}, note)


def journey(
    engine: SearchEngine, event_id: str, lang: Lang, result: SearchResult | None = None
) -> Reply:
    """Confirm a life event and show its journey as buttons.

    The focus (what a follow-up such as "biayanya berapa?" is about) is the service the
    citizen asked about when it is in the journey (search is sure of it, or the message
    uses one of its names: "daftarin bayi ke bpjs"), else the journey's first step.
    """
    services = engine.kb.journey(event_id)
    buttons = [service_button(s, lang, f"{i}. ") for i, s in enumerate(services, 1)]
    text = f"{confirm(event_id, lang)} {say('journey_intro', lang)}".strip()
    slots: dict[str, Any] = {"life_event": event_id, "lang": lang}
    slots["service"] = services[0].id if services else None
    asked = None
    if result is not None and result.top is not None:
        named = specific_terms(engine, result) & name_terms(engine, result.top.id)
        asked = result.top if result.verdict == "sure" or named else None
    if asked is not None and asked.id in {s.id for s in services}:
        slots["service"] = asked.id
    return Reply([Message(text, buttons=buttons, custom={"life_event": event_id})], slots)


def answer_life_event(engine: SearchEngine, turn: Turn) -> Reply:
    """A life event told or picked: confirm it and show its journey; ask back if unsure."""
    lang = language(turn)
    picked = turn.entity("life_event")
    if turn.is_payload:
        if picked in engine.kb.life_events:
            return journey(engine, picked, lang)
        return Reply([Message(say("no_focus", lang))], {"lang": lang})
    result = engine.search(turn.text)
    if picked in engine.kb.life_events:
        return journey(engine, picked, lang, result)
    event = result.life_event
    share = result.life_event_scores.get(event, 0.0) if event else 0.0
    if event in engine.kb.life_events and share >= EVENT_SHARE:
        return journey(engine, event, lang, result)
    return clarify_events(engine, turn, lang, result, "low_confidence")


def answer_service(engine: SearchEngine, turn: Turn) -> Reply:
    """A direct question or a picked service: answer the best service."""
    lang = language(turn)
    picked = turn.entity("service")
    if turn.is_payload:
        service = engine.kb.services.get(picked or "")
        if service is None:
            return Reply([Message(say("no_focus", lang))], {"lang": lang})
        return Reply(service_messages(engine, service, lang), focus_slots(service, turn, lang))
    result = engine.search(turn.text)
    aspect = aspect_of(turn.text)
    if turn.focus in engine.kb.services and aspect and not names_a_service(engine, result, turn):
        # "dmn ngurusnya", "perlu kk ga?": about the service in focus, whatever NLU said
        return answer_follow_up(engine, replace(turn, intent=aspect), result)
    event = told_event(engine, result, turn)
    if event is not None:
        return journey(engine, event, lang)
    if picked not in engine.kb.services and result.verdict == "out_of_scope":
        return refuse(turn, lang, result)
    if picked not in engine.kb.services and result.verdict == "ask":
        # unsure which service: a life event that both the words ("bayi", "kerja") and
        # the search agree on gets its journey; otherwise ask back, never guess a procedure
        event = result.life_event
        if (
            event
            and event in turn.entities.get("life_event", [])
            and result.life_event_scores.get(event, 0.0) >= CLEAR_EVENT
        ):
            return journey(engine, event, lang, result)
        return clarify_events(engine, turn, lang, result, "low_confidence")
    service = engine.kb.services.get(picked or "")
    if service is None:
        service = engine.kb.services[result.hits[0].id]
    generic = generic_terms(engine)
    others = [h.id for h in result.hits if h.id != service.id and set(h.matched) - generic][
        :MAX_ALTERNATIVES
    ]
    extra = [service_button(engine.kb.services[sid], lang, "+ ") for sid in others]
    return Reply(service_messages(engine, service, lang, extra), focus_slots(service, turn, lang))


def _late(service: Service, turn: Turn, lang: Lang) -> str:
    """The FAQ answer about being late, lost or expired that fits the question best."""
    words = set(re.findall(r"\w+", turn.text.lower()))
    best: tuple[int, str] | None = None
    for faq in service.faq:
        question, answer = (faq.q_en, faq.a_en) if lang == "en" else (faq.q, faq.a)
        if not LATE_CUES.search(f"{faq.q} {faq.q_en}"):
            continue
        overlap = len(words & set(re.findall(r"\w+", f"{faq.q} {faq.q_en}".lower())))
        if best is None or overlap > best[0]:
            best = (overlap, f"{question}\n{answer}")
    if best is not None:
        return f"{render.title(service, lang).upper()}\n\n{best[1]}"
    fee = render.section(service, "fee", lang)
    if LATE_CUES.search(fee):
        return f"{render.title(service, lang).upper()}\n\n{fee}"
    return say("late_unknown", lang, title=render.title(service, lang))


def _next(engine: SearchEngine, service: Service, turn: Turn, lang: Lang) -> Reply:
    event = turn.life_event if turn.life_event in service.life_events else None
    following = engine.kb.next_in_journey(service.id, event)
    if following is None and event is not None:
        following = engine.kb.next_in_journey(service.id)
    done = render.title(service, lang)
    if following is None:
        event_id = event or (service.life_events[0] if service.life_events else None)
        services = engine.kb.journey(event_id) if event_id else []
        buttons = [service_button(s, lang, f"{i}. ") for i, s in enumerate(services, 1)]
        return Reply(
            [Message(say("journey_done", lang, done=done), buttons=buttons)], {"lang": lang}
        )
    text = say("next_is", lang, done=done, next=render.title(following, lang))
    summary = render.section(following, "summary", lang)
    after = engine.kb.next_in_journey(following.id, event)
    buttons = [service_button(following, lang)]
    if after is not None:
        buttons.append(service_button(after, lang, "+ "))
    message = Message(f"{text}\n\n{summary}", buttons=buttons, custom={"service": following.id})
    return Reply([message], focus_slots(following, turn, lang))


def _about_focus_only(engine: SearchEngine, turn: Turn) -> bool:
    """A follow-up on the service in focus whose words can name no other service
    ("biayanya berapa?", "kalau sudah telat?"): a search could not move the focus, so
    none is run. Exact: ``names_a_service`` needs specific terms, and these are a subset
    of the query's service terms."""
    if turn.focus not in engine.kb.services:
        return False
    return not (engine.service_terms(turn.text) - generic_terms(engine) - cue_terms(engine))


def answer_follow_up(engine: SearchEngine, turn: Turn, result: SearchResult | None = None) -> Reply:
    """Requirements, fee, where, time, steps, late or next: about the service in focus."""
    lang = language(turn)
    aspect = ASPECTS.get(turn.intent, "summary")
    if result is None and not turn.is_payload and not _about_focus_only(engine, turn):
        result = engine.search(turn.text)
    if turn.focus not in engine.kb.services and result is not None:
        event = told_event(engine, result, turn)
        if event is not None:
            return journey(engine, event, lang)  # "bini lahiran, hrs ngurus apa aja?"
    target = names_a_service(engine, result, turn)
    service = engine.kb.services.get(target or turn.focus or "")
    if service is None:  # nothing in focus and no service named: ask, never guess
        buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
        note = Note(
            "low_confidence",
            turn.text,
            results_of(result) if result else [],
            result.confidence if result else None,
        )
        return Reply([Message(say("no_focus", lang), buttons=buttons)], {"lang": lang}, note)
    if aspect == "next":
        return _next(engine, service, turn, lang)
    if aspect == "late":
        text = _late(service, turn, lang)
    elif aspect == "where":
        text = f"{render.title(service, lang).upper()}\n\n{_where(service, lang)}"
        if turn.intent == "share_location":
            text = f"{say('location', lang)}\n\n{text}"
    else:
        body = render.section(service, aspect, lang)  # type: ignore[arg-type]
        text = f"{render.title(service, lang).upper()}\n\n{body}"
    message = Message(text, custom={"service": service.id})
    return Reply([message], focus_slots(service, turn, lang))


def answer_clarify(engine: SearchEngine, turn: Turn) -> Reply:
    """NLU was unsure: let the search engine decide, or ask back with life events."""
    lang = language(turn)
    result = engine.search(turn.text)
    guess = next((i for i in turn.intent_ranking if i != "nlu_fallback"), None)
    if guess == "out_of_scope" or result.verdict == "out_of_scope":
        return refuse(turn, lang, result)
    if (
        result.verdict == "sure"
        and result.top is not None
        and (turn.entity("service") in engine.kb.services or names_likely(engine, result))
    ):
        if guess in ASPECTS and turn.focus:
            return answer_follow_up(engine, replace(turn, intent=guess), result)
        if guess == "inform_life_event" and result.life_event:
            return journey(engine, result.life_event, lang)
        reply = answer_service(engine, turn)
        reply.note = Note(
            "fallback", turn.text, results_of(result), result.confidence, result.life_event
        )
        return reply
    return clarify_events(engine, turn, lang, result, "fallback")


def answer_handoff(engine: SearchEngine, turn: Turn) -> Reply:
    """The call-centre and complaint route; marks the conversation for agents."""
    lang = language(turn)
    text = say("handoff", lang)
    service = engine.kb.services.get(turn.focus or "")
    if service is not None and service.where:
        place = service.where[0]
        where = place.text_en if lang == "en" else place.text
        where = f"{where} ({place.url})" if place.url else where
        text += "\n\n" + say(
            "handoff_service", lang, title=render.title(service, lang), where=where
        )
    note = Note(
        "handoff",
        turn.text,
        [{"id": service.id, "score": 1.0}] if service else [],
        None,
        turn.life_event,
    )
    message = Message(text, custom={"handoff": True})
    return Reply([message], {"handoff": True, "lang": lang}, note)


def answer_smalltalk(engine: SearchEngine, turn: Turn) -> Reply:
    """Greeting, help, thanks, goodbye; greeting and help offer the life events."""
    lang = language(turn)
    if turn.intent == "help" and turn.entity("life_event") in engine.kb.life_events:
        return answer_life_event(engine, turn)  # "pengen kuliah, ada bantuan ga?"
    key = {"greet": "greet", "help": "help", "thank": "thank", "goodbye": "goodbye"}.get(
        turn.intent, "help"
    )
    buttons = []
    if key in ("greet", "help"):
        buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
    return Reply([Message(say(key, lang), buttons=buttons)], {"lang": lang})
