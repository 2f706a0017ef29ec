"""Open the search engine for a process: load the current index, or build it when allowed."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from embeddings.encoders import Encoder, EncoderSettings, make_encoder
from embeddings.engine import SearchEngine
from embeddings.manifest import IndexMismatchError
from embeddings.store import build_folder, current_folder, read_folder
from navigator.kb.loader import KnowledgeBaseError, content_hash, load_knowledge_base
from navigator.settings import default_kb_path, var_dir

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchSettings:
    """Where the knowledge base and the index live, and which encoder to use."""

    kb_path: Path
    index_dir: Path
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    index_type: str = "flat"

    @classmethod
    def from_env(cls) -> SearchSettings:
        """NAVIGATOR_KB, NAVIGATOR_INDEX_DIR, NAVIGATOR_INDEX_TYPE and the encoder's settings."""
        return cls(
            kb_path=default_kb_path(),
            index_dir=Path(os.environ.get("NAVIGATOR_INDEX_DIR", var_dir() / "index")),
            encoder=EncoderSettings.from_env(),
            index_type=os.environ.get("NAVIGATOR_INDEX_TYPE", "flat"),
        )


def build_index(settings: SearchSettings, encoder: Encoder, progress: bool = False) -> Path:
    """Validate the knowledge base and build a new index folder; the old one stays on error."""
    kb = load_knowledge_base(settings.kb_path)  # raises KnowledgeBaseError: nothing replaced
    folder = build_folder(kb, encoder, settings.index_dir, settings.index_type, progress=progress)
    logger.info("built index %s: %d services", folder.path.name, len(kb.services))
    return folder.path


def load_engine(
    settings: SearchSettings, encoder: Encoder | None = None, build_if_needed: bool = True
) -> SearchEngine:
    """The engine over the current index; (re)build it when missing, stale or mismatched.

    A knowledge base with errors never replaces a good index: the last good one keeps
    serving and the errors are logged. Without a usable index and with building not
    allowed (or impossible), IndexMismatchError explains what to run.
    """
    encoder = encoder or make_encoder(settings.encoder)
    try:
        folder = current_folder(settings.index_dir)
        manifest, kb, index = read_folder(folder)
        manifest.check(encoder.backend, encoder.model, encoder.dim)
    except IndexMismatchError as exc:
        if not build_if_needed:
            raise
        logger.info("%s; building the index", exc)
        build_index(settings, encoder)
        return load_engine(settings, encoder, build_if_needed=False)
    if settings.kb_path.is_dir() and content_hash(settings.kb_path) != manifest.kb_hash:
        if build_if_needed:
            try:
                build_index(settings, encoder)
                return load_engine(settings, encoder, build_if_needed=False)
            except KnowledgeBaseError as exc:
                logger.error("knowledge base has errors; serving the last good index: %s", exc)
        else:
            logger.warning(
                "knowledge base changed since index %s was built; serving that index until "
                "'navigator index build' succeeds",
                folder.name,
            )
    return SearchEngine(kb, encoder, index, manifest.rows)


class EngineHolder:
    """Holds the engine of a long-running process and swaps in a new index when built.

    ``get()`` is cheap: every ``interval`` seconds it compares the folder that the
    ``current`` link points at with the one it serves; a new folder is loaded in a
    background thread and swapped in when ready. The old engine serves meanwhile, and
    a folder that fails to load is logged and skipped.
    """

    def __init__(
        self, settings: SearchSettings, engine: SearchEngine, interval: float = 2.0
    ) -> None:
        self.settings = settings
        self.interval = interval
        self._engine = engine
        self._folder = self._current_target()
        self._checked = time.monotonic()
        self._loading = threading.Lock()

    @classmethod
    def open(cls, settings: SearchSettings, interval: float = 2.0) -> EngineHolder:
        """Load (building if needed), warm up and hold the engine."""
        engine = load_engine(settings)
        engine.warm_up()
        return cls(settings, engine, interval)

    def _current_target(self) -> Path | None:
        try:
            return current_folder(self.settings.index_dir)
        except IndexMismatchError:
            return None

    @property
    def folder(self) -> Path | None:
        """The index folder being served."""
        return self._folder

    def get(self) -> SearchEngine:
        """The engine to use now."""
        now = time.monotonic()
        if now - self._checked >= self.interval:
            self._checked = now
            target = self._current_target()
            if target is not None and target != self._folder and not self._loading.locked():
                threading.Thread(target=self._reload, args=(target,), daemon=True).start()
        return self._engine

    def reload_now(self) -> bool:
        """Load the current folder synchronously if it changed; True when swapped."""
        target = self._current_target()
        if target is None or target == self._folder:
            return False
        return self._reload(target)

    def _reload(self, target: Path) -> bool:
        with self._loading:
            try:
                manifest, kb, index = read_folder(target)
                encoder = self._engine.encoder
                manifest.check(encoder.backend, encoder.model, encoder.dim)
                engine = SearchEngine(kb, encoder, index, manifest.rows)
                engine.warm_up()
            except (IndexMismatchError, OSError, ValueError, RuntimeError) as exc:
                logger.error("not swapping to index %s: %s", target.name, exc)
                self._folder = target  # do not retry the same broken folder forever
                return False
            self._engine = engine
            self._folder = target
            logger.info("now serving index %s (%d services)", target.name, len(kb.services))
            return True
