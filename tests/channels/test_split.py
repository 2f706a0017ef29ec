"""Long replies split at the limit without breaking words."""

from __future__ import annotations

import pytest

from navigator.channels.split import split_text, utf16_len


def test_short_text_is_one_chunk() -> None:
    assert split_text("  halo  ", 4096) == ["halo"]
    assert split_text("", 4096) == []


def test_splits_prefer_paragraphs() -> None:
    text = "a" * 60 + "\n\n" + "b" * 30 + " " + "c" * 30
    assert split_text(text, 100) == ["a" * 60, "b" * 30 + " " + "c" * 30]


def test_words_are_never_cut() -> None:
    words = [f"kata{i}" for i in range(2000)]
    chunks = split_text(" ".join(words), 100)
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(chunks).split() == words


def test_a_word_longer_than_the_limit_is_cut() -> None:
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_emoji_count_as_two_units() -> None:
    text = "😀" * 60
    chunks = split_text(text, 100)
    assert [utf16_len(c) for c in chunks] == [100, 20]
    assert "".join(chunks) == text


def test_chunks_are_not_tiny_when_the_only_paragraph_break_is_early() -> None:
    text = "Judul\n\n" + " ".join(["kata"] * 100)
    chunks = split_text(text, 200)
    assert len(chunks[0]) > 150


def test_rejects_a_nonpositive_limit() -> None:
    with pytest.raises(ValueError):
        split_text("x", 0)
