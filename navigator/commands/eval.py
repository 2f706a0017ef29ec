"""``navigator eval``: retrieval quality on the project's own question set, with a gate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from navigator.settings import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "tests" / "eval" / "retrieval.yml"
THRESHOLDS = PROJECT_ROOT / "tests" / "eval" / "thresholds.json"
OUT_OF_SCOPE = PROJECT_ROOT / "tests" / "eval" / "out_of_scope.yml"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``eval``."""
    ev = sub.add_parser("eval", help="Recall@1/@3, MRR@10, life-event accuracy per query style")
    ev.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled questions (YAML)")
    ev.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--misses", action="store_true", help="list questions missed in the top 3")
    ev.add_argument(
        "--calibrate",
        action="store_true",
        help="fit the confidence calibration on this set and out_of_scope.yml; write it",
    )
    ev.set_defaults(handler=cmd_eval)


def _gate(
    report: dict[str, dict[str, float]], thresholds: dict[str, dict[str, float]]
) -> list[str]:
    failures = []
    for scope, limits in thresholds.items():
        for metric, minimum in limits.items():
            styles = [s for s in report if s != "overall"] if scope == "each_style" else [scope]
            for style in styles:
                value = report.get(style, {}).get(metric)
                if value is not None and value < minimum:
                    failures.append(f"{style} {metric} {value:.3f} < {minimum:.3f}")
    return failures


def _record_trend(report: dict[str, dict[str, float]]) -> None:
    """Append the overall figures to the insight store, for the editors' score trend."""
    from navigator.insight.store import InsightStore

    overall = report["overall"]
    store = InsightStore()
    try:
        store.record_evaluation(overall["recall@3"], overall["mrr@10"], dict(report))
    finally:
        store.close()


def cmd_eval(args: argparse.Namespace) -> int:
    """Print the metrics table; exit 1 when any threshold is not met."""
    from embeddings.evaluation import evaluate, load_cases, misses
    from embeddings.runtime import SearchSettings, load_engine

    engine = load_engine(SearchSettings.from_env())
    cases = load_cases(args.set)
    if args.calibrate:
        import yaml

        from embeddings.calibrate import fit
        from embeddings.confidence import CALIBRATION_FILE

        out_of_scope = [d["q"] for d in yaml.safe_load(OUT_OF_SCOPE.read_text(encoding="utf-8"))]
        calibration = fit(engine, cases, out_of_scope)
        calibration.save(CALIBRATION_FILE)
        print(f"wrote {CALIBRATION_FILE}: {calibration.coef} intercept {calibration.intercept}")
        engine.calibration = calibration
    report = evaluate(engine, cases)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'style':<10} {'n':>4} {'R@1':>6} {'R@3':>6} {'MRR@10':>7} {'event':>6}")
        for style, m in report.items():
            print(
                f"{style:<10} {int(m['n']):>4} {m['recall@1']:>6.3f} {m['recall@3']:>6.3f} "
                f"{m['mrr@10']:>7.3f} {m['life_event_acc']:>6.3f}"
            )
    _record_trend(report)
    if args.misses:
        for case, ranked in misses(engine, cases):
            print(f"MISS [{case.style}] {case.q!r}: want {list(case.expected)}, got {ranked}")
    if args.thresholds.exists():
        failures = _gate(report, json.loads(args.thresholds.read_text(encoding="utf-8")))
        for failure in failures:
            print(f"below threshold: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0
