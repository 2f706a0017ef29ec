"""Tests of the bot's Rasa plug-ins; they run in .venv-rasa (``make test-bot``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bot"))  # as Rasa runs them
