"""The JSON manifest stored beside a FAISS index, and the checks made on load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 1


class IndexMismatchError(RuntimeError):
    """The index on disk does not fit the knowledge base or the encoder in use."""


@dataclass(frozen=True)
class Manifest:
    """What an index was built from: encoder, model, dimension, knowledge-base hash."""

    encoder: str
    model: str
    dim: int
    kb_hash: str
    built_at: str
    index_type: str
    rows: list[str] = field(default_factory=list)
    services: int = 0
    format_version: int = FORMAT_VERSION

    def save(self, path: Path) -> None:
        """Write as pretty JSON."""
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest; a missing or malformed one is an IndexMismatchError."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError as exc:
            raise IndexMismatchError(
                f"no index manifest at {path}; run 'navigator index build'"
            ) from exc
        except (json.JSONDecodeError, TypeError) as exc:
            raise IndexMismatchError(f"unreadable index manifest {path}: {exc}") from exc

    def check(self, encoder: str, model: str, dim: int, kb_hash: str | None = None) -> None:
        """Raise IndexMismatchError unless this index fits the encoder (and the KB hash)."""
        problems = []
        if self.format_version != FORMAT_VERSION:
            problems.append(f"format {self.format_version} != {FORMAT_VERSION}")
        if self.encoder != encoder:
            problems.append(f"encoder {self.encoder!r} != {encoder!r}")
        if self.model != model:
            problems.append(f"model {self.model!r} != {model!r}")
        if self.dim != dim:
            problems.append(f"dimension {self.dim} != {dim}")
        if kb_hash is not None and self.kb_hash != kb_hash:
            problems.append("knowledge base changed since the index was built")
        if problems:
            raise IndexMismatchError(
                "index does not match: " + "; ".join(problems) + ". Run 'navigator index build'."
            )
