"""The editors' report: unanswered questions grouped, coverage, stale entries, score trend.

Used by ``navigator kb report`` and the console's insight page. Grouping is lexical by
default (stemmed content terms, glossary expanded when a normaliser is given), so it is
fast and deterministic; a sentence encoder can group by meaning instead.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from embeddings.text import STOPWORDS, stem, tokens
from navigator.insight.store import InsightStore, Record
from navigator.kb.loader import KnowledgeBase
from navigator.kb.validate import STALE_AFTER_DAYS

Terms = Callable[[str], list[str]]
LEXICAL_THRESHOLD = 0.5
DENSE_THRESHOLD = 0.9
_PLACEHOLDERS = frozenset({"nik", "telepon", "email", "nomor"})


class QueryEncoder(Protocol):
    """What dense grouping needs from an encoder (embeddings.encoders.Encoder fits)."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors, one row per text."""
        ...


@dataclass
class QuestionGroup:
    """Unanswered questions that say the same thing."""

    question: str
    count: int
    terms: list[str]
    examples: list[str]
    reasons: dict[str, int]
    channels: dict[str, int]
    life_events: dict[str, int]
    shown: list[str]
    last_seen: str


@dataclass
class EventCoverage:
    """How well one life event is served."""

    id: str
    name: str
    name_en: str
    services: int
    journey: int
    stale: int
    unanswered: int
    not_helpful: int


@dataclass
class StaleEntry:
    """A service not checked for longer than the validator allows."""

    id: str
    title: str
    last_checked: str
    days: int
    file: str | None


@dataclass
class EvaluationPoint:
    """One retrieval evaluation run."""

    at: str
    recall_at_3: float
    mrr_at_10: float


@dataclass
class InsightReport:
    """Everything the editors see."""

    generated: str
    days: int
    queries: int
    groups: list[QuestionGroup] = field(default_factory=list)
    coverage: list[EventCoverage] = field(default_factory=list)
    stale: list[StaleEntry] = field(default_factory=list)
    evaluations: list[EvaluationPoint] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def simple_terms(text: str) -> list[str]:
    """Stemmed content words without stop words or masking placeholders."""
    return [stem(w) for w in tokens(text) if w not in STOPWORDS and w not in _PLACEHOLDERS]


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="seconds")


def _similar(a: set[str], b: set[str]) -> float:
    """Jaccard overlap; a question whose terms all appear in the other counts as the same."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    overlap = len(a & b)
    if overlap >= 2 and overlap == min(len(a), len(b)):
        return 1.0
    return overlap / len(a | b)


def lexical_clusters(texts: Sequence[str], terms: Terms = simple_terms) -> list[list[int]]:
    """Indices of ``texts`` grouped greedily by term overlap, in first-seen order."""
    groups: list[tuple[set[str], list[int]]] = []
    for i, text in enumerate(texts):
        own = {t for t in terms(text) if t not in _PLACEHOLDERS}
        best, best_score = None, 0.0
        for g, (centre, _) in enumerate(groups):
            score = _similar(own, centre)
            if score > best_score:
                best, best_score = g, score
        if best is not None and best_score >= LEXICAL_THRESHOLD:
            groups[best][1].append(i)
        else:
            groups.append((own, [i]))
    return [members for _, members in groups]


def dense_clusters(
    texts: Sequence[str], encoder: QueryEncoder, threshold: float = DENSE_THRESHOLD
) -> list[list[int]]:
    """Indices grouped greedily by cosine similarity to each group's first question."""
    if not texts:
        return []
    vectors = encoder.encode_queries(list(texts))
    centres: list[int] = []
    groups: list[list[int]] = []
    for i in range(len(texts)):
        if centres:
            sims = vectors[centres] @ vectors[i]
            best = int(np.argmax(sims))
            if float(sims[best]) >= threshold:
                groups[best].append(i)
                continue
        centres.append(i)
        groups.append([i])
    return groups


def _group(records: Sequence[Record], members: list[int], terms: Terms) -> QuestionGroup:
    chosen = [records[i] for i in members]
    wordings = Counter(" ".join(r.query.split()) for r in chosen)
    question = wordings.most_common(1)[0][0]
    term_counts = Counter(t for r in chosen for t in set(terms(r.query)))
    shown = Counter(str(item.get("id")) for r in chosen for item in r.results[:1] if item.get("id"))
    return QuestionGroup(
        question=question,
        count=len(chosen),
        terms=[t for t, _ in term_counts.most_common(5)],
        examples=[w for w, _ in wordings.most_common(4) if w != question][:3],
        reasons=dict(Counter(r.reason for r in chosen)),
        channels=dict(Counter(r.channel for r in chosen)),
        life_events=dict(Counter(r.life_event for r in chosen if r.life_event)),
        shown=[sid for sid, _ in shown.most_common(3)],
        last_seen=_iso(max(r.created for r in chosen)),
    )


def group_questions(
    records: Sequence[Record],
    terms: Terms = simple_terms,
    encoder: QueryEncoder | None = None,
    top: int = 20,
) -> list[QuestionGroup]:
    """The ``top`` largest groups of similar questions, most asked first."""
    texts = [r.query for r in records]
    clusters = dense_clusters(texts, encoder) if encoder else lexical_clusters(texts, terms)
    groups = [_group(records, members, terms) for members in clusters]
    groups.sort(key=lambda g: (-g.count, g.question))
    return groups[:top]


def stale_entries(kb: KnowledgeBase, today: dt.date | None = None) -> list[StaleEntry]:
    """Services whose last check is older than STALE_AFTER_DAYS, oldest first."""
    today = today or dt.date.today()
    out = []
    for service in kb.services.values():
        age = (today - service.last_checked).days
        if age > STALE_AFTER_DAYS:
            origin = kb.origins.get(service.id)
            out.append(
                StaleEntry(
                    service.id,
                    service.title,
                    service.last_checked.isoformat(),
                    age,
                    origin.shown if origin else None,
                )
            )
    return sorted(out, key=lambda s: (-s.days, s.id))


def coverage(
    kb: KnowledgeBase, records: Iterable[Record], stale: Sequence[StaleEntry]
) -> list[EventCoverage]:
    """Per life event: services, journey length, stale entries, unanswered and unhelpful."""
    records = list(records)
    stale_ids = {s.id for s in stale}
    rows = []
    for event in kb.life_events.values():
        services = [s for s in kb.services.values() if event.id in s.life_events]
        mine = [r for r in records if r.life_event == event.id]
        rows.append(
            EventCoverage(
                id=event.id,
                name=event.name,
                name_en=event.name_en,
                services=len(services),
                journey=sum(sid in kb.services for sid in event.journey),
                stale=sum(s.id in stale_ids for s in services),
                unanswered=sum(r.reason != "not_helpful" for r in mine),
                not_helpful=sum(r.reason == "not_helpful" for r in mine),
            )
        )
    unknown = [r for r in records if r.life_event not in kb.life_events]
    if unknown:
        rows.append(
            EventCoverage(
                id="",
                name="(tanpa peristiwa)",
                name_en="(no life event)",
                services=0,
                journey=0,
                stale=0,
                unanswered=sum(r.reason != "not_helpful" for r in unknown),
                not_helpful=sum(r.reason == "not_helpful" for r in unknown),
            )
        )
    return rows


def evaluation_trend(store: InsightStore, limit: int = 50) -> list[EvaluationPoint]:
    """Recall@3 and MRR@10 of recorded evaluation runs, oldest first."""
    return [
        EvaluationPoint(_iso(at), round(r3, 4), round(mrr, 4))
        for at, r3, mrr in store.evaluations(limit)
    ]


def build_report(
    store: InsightStore,
    kb: KnowledgeBase,
    *,
    days: int = 30,
    top: int = 20,
    terms: Terms = simple_terms,
    encoder: QueryEncoder | None = None,
    max_records: int = 2000,
    now: float | None = None,
) -> InsightReport:
    """Collect the report from the insight store and the knowledge base."""
    now = now or time.time()
    since = now - days * 86400
    records = [r for r in store.recent(limit=max_records) if r.created >= since]
    stale = stale_entries(kb, dt.datetime.fromtimestamp(now, dt.UTC).date())
    return InsightReport(
        generated=_iso(now),
        days=days,
        queries=len(records),
        groups=group_questions(records, terms, encoder, top),
        coverage=coverage(kb, records, stale),
        stale=stale,
        evaluations=evaluation_trend(store),
    )


def format_text(report: InsightReport) -> str:
    """The report as plain text for the terminal."""
    lines = [
        f"Editors' report, {report.generated} "
        f"({report.queries} stored queries, last {report.days} days)"
    ]
    lines += ["", "Top unanswered questions (grouped):"]
    if not report.groups:
        lines.append("  none")
    for g in report.groups:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(g.reasons.items()))
        lines.append(f"  {g.count:>4}  {g.question}  [{reasons}]")
        for example in g.examples:
            lines.append(f"        also: {example}")
    header = f"{'Coverage per life event':<34} {'svc':>4} {'jrny':>5} {'stale':>6}"
    lines += ["", f"{header} {'unans':>6} {'unhelp':>7}"]
    for c in report.coverage:
        lines.append(
            f"  {(c.id or '-'):<10} {c.name[:20]:<21} {c.services:>4} {c.journey:>5} "
            f"{c.stale:>6} {c.unanswered:>6} {c.not_helpful:>7}"
        )
    lines += ["", f"Stale entries (not checked for more than {STALE_AFTER_DAYS} days):"]
    if not report.stale:
        lines.append("  none")
    for s in report.stale:
        where = f"  {s.file}" if s.file else ""
        lines.append(f"  {s.id:<32} last checked {s.last_checked} ({s.days} days){where}")
    lines += ["", "Retrieval evaluation trend (Recall@3, MRR@10):"]
    if not report.evaluations:
        lines.append("  no runs recorded; run 'navigator kb report --evaluate'")
    for p in report.evaluations:
        lines.append(f"  {p.at}  R@3 {p.recall_at_3:.3f}  MRR@10 {p.mrr_at_10:.3f}")
    if len(report.evaluations) >= 2:
        first, last = report.evaluations[0], report.evaluations[-1]
        lines.append(
            f"  change: R@3 {last.recall_at_3 - first.recall_at_3:+.3f}, "
            f"MRR@10 {last.mrr_at_10 - first.mrr_at_10:+.3f}"
        )
    return "\n".join(lines)
