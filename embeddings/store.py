"""Index folders on disk: build into a new folder, then swap the ``current`` link atomically.

A folder holds the FAISS index (``dense.faiss``), the manifest (``manifest.json``) and
a JSON snapshot of the knowledge base it was built from (``kb.json``), so vectors and
the services they point to always belong together. No pickle anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from embeddings import vector_index
from embeddings.documents import all_passages
from embeddings.encoders import Encoder
from embeddings.manifest import IndexMismatchError, Manifest
from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import DialogueCues, GlossaryEntry, Institution, LifeEvent, Service

logger = logging.getLogger(__name__)

CURRENT = "current"
KEEP_OLD = 2


@dataclass(frozen=True)
class IndexFolder:
    """A built index folder and its manifest."""

    path: Path
    manifest: Manifest


def kb_to_json(kb: KnowledgeBase) -> dict[str, object]:
    """A JSON-ready snapshot of the validated knowledge base."""
    return {
        "content_hash": kb.content_hash,
        "services": [s.model_dump(mode="json") for s in kb.services.values()],
        "life_events": [e.model_dump(mode="json") for e in kb.life_events.values()],
        "glossary": [g.model_dump(mode="json") for g in kb.glossary],
        "institutions": [i.model_dump(mode="json") for i in kb.institutions.values()],
        "dialogue": kb.dialogue.model_dump(mode="json") if kb.dialogue else None,
    }


def kb_from_json(data: dict[str, object], root: Path) -> KnowledgeBase:
    """Rebuild the typed knowledge base from a snapshot."""
    kb = KnowledgeBase(root=root, content_hash=str(data["content_hash"]))
    kb.services = {s["id"]: Service.model_validate(s) for s in data["services"]}  # type: ignore[attr-defined,index]
    kb.life_events = {e["id"]: LifeEvent.model_validate(e) for e in data["life_events"]}  # type: ignore[attr-defined,index]
    kb.glossary = [GlossaryEntry.model_validate(g) for g in data["glossary"]]  # type: ignore[attr-defined]
    kb.institutions = {i["id"]: Institution.model_validate(i) for i in data["institutions"]}  # type: ignore[attr-defined,index]
    if data.get("dialogue"):
        kb.dialogue = DialogueCues.model_validate(data["dialogue"])
    return kb


def build_folder(
    kb: KnowledgeBase,
    encoder: Encoder,
    index_root: Path,
    index_type: str = "flat",
    progress: bool = False,
) -> IndexFolder:
    """Encode, index and write a new folder, then point ``current`` at it."""
    passages = all_passages(kb)
    texts = [p.text for p in passages]
    if progress:
        from tqdm import tqdm

        chunks = []
        step = 16
        with tqdm(total=len(texts), desc="encoding", unit="passage") as bar:
            for start in range(0, len(texts), step):
                chunks.append(encoder.encode_passages(texts[start : start + step]))
                bar.update(len(texts[start : start + step]))
        import numpy as np

        vectors = np.vstack(chunks)
    else:
        vectors = encoder.encode_passages(texts)
    index = vector_index.build(vectors, index_type)
    built_at = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    manifest = Manifest(
        encoder=encoder.backend,
        model=encoder.model,
        dim=encoder.dim,
        kb_hash=kb.content_hash,
        built_at=built_at,
        index_type=index_type,
        rows=[p.service_id for p in passages],
        services=len(kb.services),
    )
    index_root.mkdir(parents=True, exist_ok=True)
    tmp = index_root / f".building-{built_at}-{os.getpid()}"
    tmp.mkdir()
    vector_index.save(index, tmp / "dense.faiss")
    (tmp / "kb.json").write_text(json.dumps(kb_to_json(kb), ensure_ascii=False), encoding="utf-8")
    manifest.save(tmp / "manifest.json")  # written last: a folder with a manifest is complete
    final = index_root / f"index-{built_at}-{kb.content_hash[:8]}"
    tmp.rename(final)
    swap_current(index_root, final)
    prune(index_root, keep=KEEP_OLD)
    return IndexFolder(final, manifest)


def swap_current(index_root: Path, target: Path) -> None:
    """Point ``current`` at ``target`` atomically (rename of a new symlink over the old)."""
    link = index_root / CURRENT
    tmp_link = index_root / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.name)
    os.replace(tmp_link, link)


def current_folder(index_root: Path) -> Path:
    """The folder ``current`` points at; IndexMismatchError when there is none."""
    link = index_root / CURRENT
    if not link.exists():
        raise IndexMismatchError(f"no index in {index_root}; run 'navigator index build'")
    return link.resolve()


def read_folder(path: Path) -> tuple[Manifest, KnowledgeBase, object]:
    """Manifest, knowledge-base snapshot and FAISS index of a folder."""
    manifest = Manifest.load(path / "manifest.json")
    data = json.loads((path / "kb.json").read_text(encoding="utf-8"))
    try:
        kb = kb_from_json(data, path)
    except (ValueError, KeyError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise IndexMismatchError(
            f"{path}: its knowledge-base snapshot does not fit this version's schema ({exc}); "
            "rebuild it"
        ) from exc
    index = vector_index.load(path / "dense.faiss")
    if index.ntotal != len(manifest.rows) or index.d != manifest.dim:
        raise IndexMismatchError(
            f"{path}: FAISS index has {index.ntotal} rows of dimension {index.d}, the manifest "
            f"{len(manifest.rows)} of {manifest.dim}; rebuild it"
        )
    return manifest, kb, index


def prune(index_root: Path, keep: int) -> None:
    """Delete old index folders, keeping ``current`` and the ``keep`` newest others."""
    current = (index_root / CURRENT).resolve() if (index_root / CURRENT).exists() else None
    folders = sorted(p for p in index_root.glob("index-*") if p.is_dir() and p != current)
    for old in folders[: max(0, len(folders) - keep)]:
        shutil.rmtree(old, ignore_errors=True)
