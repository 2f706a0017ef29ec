"""``navigator index build``: encode the knowledge base into a FAISS index."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``index build``."""
    index = sub.add_parser("index", help="search index tools")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    build = index_sub.add_parser("build", help="build the index (skips when up to date)")
    build.add_argument("--force", action="store_true", help="rebuild even when up to date")
    build.add_argument("--index-type", choices=["flat", "hnsw", "ivf"], default=None)
    build.set_defaults(handler=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    """Build when the knowledge base or encoder changed; exit 1 on knowledge-base errors."""
    from dataclasses import replace

    from embeddings.encoders import make_encoder
    from embeddings.manifest import IndexMismatchError
    from embeddings.runtime import SearchSettings, build_index
    from embeddings.store import current_folder, read_folder
    from navigator.kb.loader import KnowledgeBaseError, content_hash

    settings = SearchSettings.from_env()
    if args.index_type:
        settings = replace(settings, index_type=args.index_type)
    encoder = make_encoder(settings.encoder)
    if not args.force:
        try:
            manifest, _, _ = read_folder(current_folder(settings.index_dir))
            manifest.check(
                encoder.backend, encoder.model, encoder.dim, content_hash(settings.kb_path)
            )
            if manifest.index_type == settings.index_type:
                print(
                    f"index is up to date ({manifest.services} services, built {manifest.built_at})"
                )
                return 0
        except IndexMismatchError:
            pass
    try:
        path = build_index(settings, encoder, progress=True)
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        print("the previous index (if any) keeps serving", file=sys.stderr)
        return 1
    print(f"built {path}")
    return 0
