"""Calibrated confidence: the probability that the top service is right.

Features of the ranking go through a logistic function whose coefficients are fitted
on the labelled evaluation set (``navigator eval --calibrate`` writes them). The bot
and the console turn it into a verdict: answer, ask back, or out of scope.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

Verdict = Literal["sure", "ask", "out_of_scope"]

FEATURES = ("dense_top", "dense_margin", "lexical_top", "lexical_share", "agree", "known_ratio")
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def features(
    dense: np.ndarray,
    lexical: np.ndarray,
    fused: np.ndarray,
    order: np.ndarray,
    known: list[str],
    query_terms: int,
) -> dict[str, float]:
    """Numbers that tell a confident ranking from a guess."""
    if len(order) == 0:
        return dict.fromkeys(FEATURES, 0.0)
    top = int(order[0])
    others = np.delete(dense, top)
    lex_sum = float(lexical.sum())
    return {
        "dense_top": float(dense[top]),
        "dense_margin": float(dense[top] - (others.max() if len(others) else 0.0)),
        "lexical_top": float(lexical[top] / (lexical[top] + 5.0)),
        "lexical_share": float(lexical[top] / lex_sum) if lex_sum > 0 else 0.0,
        "agree": float(int(np.argmax(dense)) == top)
        + float(int(np.argmax(lexical)) == top and lex_sum > 0),
        "known_ratio": min(1.0, len(known) / query_terms) if query_terms else 0.0,
    }


@dataclass
class Calibration:
    """Logistic coefficients plus the thresholds of the three verdicts."""

    coef: dict[str, float]
    intercept: float
    sure: float = 0.6
    ask: float = 0.25
    out_of_scope_dense: float = 0.80
    fitted_on: dict[str, object] = field(default_factory=dict)

    @classmethod
    def default(cls) -> Calibration:
        """The fitted calibration shipped in the repo, or hand-set coefficients."""
        if CALIBRATION_FILE.exists():
            return cls.load(CALIBRATION_FILE)
        return cls(
            coef={
                "dense_top": 12.0,
                "dense_margin": 20.0,
                "lexical_top": 2.0,
                "lexical_share": 1.5,
                "agree": 0.8,
                "known_ratio": 1.0,
            },
            intercept=-12.0,
        )

    @classmethod
    def load(cls, path: Path) -> Calibration:
        """Read from JSON."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        """Write as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    def probability(self, values: dict[str, float]) -> float:
        """Logistic function of the features."""
        z = self.intercept + sum(self.coef.get(k, 0.0) * v for k, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence(
        self,
        dense: np.ndarray,
        lexical: np.ndarray,
        fused: np.ndarray,
        order: np.ndarray,
        known: list[str],
        query_terms: int,
    ) -> float:
        """Probability that the top hit is right."""
        values = features(dense, lexical, fused, order, known, query_terms)
        return round(self.probability(values), 4)

    def verdict(
        self, confidence: float, known: list[str], dense_top: float, event_cued: bool = False
    ) -> Verdict:
        """sure: answer; ask: offer choices; out_of_scope: nothing in the knowledge base fits.

        A message that names a life event ("bapak saya meninggal") is never out of scope.
        """
        if confidence >= self.sure:
            return "sure"
        if event_cued:
            return "ask"
        if confidence >= self.ask and (known or dense_top >= self.out_of_scope_dense):
            return "ask"
        return "out_of_scope"
