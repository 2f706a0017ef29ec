"""The validator names file and line for each kind of problem an editor can make."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navigator.kb.loader import KnowledgeBaseError, load_knowledge_base
from navigator.kb.validate import check

TODAY = dt.date(2026, 11, 28)
SERVICE = Path("services/birth/akta-kelahiran.yml")


def _messages(kb: Path) -> list[str]:
    return [str(p) for p in check(kb, today=TODAY)]


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_is_clean(fixture_kb: Path) -> None:
    assert _messages(fixture_kb) == []
    kb = load_knowledge_base(fixture_kb)
    assert len(kb.services) == 8
    assert kb.journey("birth")[0].id == "akta-kelahiran"


def test_yaml_syntax_error_names_file_and_line(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    line = _line_of(path, "summary_en:")
    _edit(path, "summary_en: ", "summary_en: [unclosed ")
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert messages[0].startswith("knowledge_base/services/birth/akta-kelahiran.yml:")
    reported = int(messages[0].split(":")[1])
    assert line <= reported <= line + 1
    assert "YAML syntax error" in messages[0]


def test_missing_field_and_unknown_field(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "audience_en: Indonesian citizens.\n", "")
    _edit(path, "summary:", "sumary:")
    line = _line_of(path, "sumary:")
    messages = _messages(fixture_kb)
    assert any("missing required field 'audience_en'" in m for m in messages)
    assert f"knowledge_base/{SERVICE}:{line}: error: unknown field 'sumary' (misspelt?)" in messages


def test_wrong_type_points_at_the_value(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "  free: true", "  free: maybe")
    line = _line_of(path, "free: maybe")
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert messages[0].startswith(f"knowledge_base/{SERVICE}:{line}: error: fee.free")


def test_unknown_related_id(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "related: []", "related:\n- spmb\n- akta-kelahrian")
    line = _line_of(path, "- akta-kelahrian")
    assert _messages(fixture_kb) == [
        f"knowledge_base/{SERVICE}:{line}: error: unknown service id 'akta-kelahrian' in related"
    ]


def test_duplicate_id(fixture_kb: Path) -> None:
    copy = fixture_kb / "services/birth/copy.yml"
    copy.write_text((fixture_kb / SERVICE).read_text(encoding="utf-8"), encoding="utf-8")
    messages = _messages(fixture_kb)
    assert any(
        "duplicate service id 'akta-kelahiran'" in m and "knowledge_base/services/birth/" in m
        for m in messages
    )


def test_missing_english_items(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "- Family card\n", "")
    line = _line_of(path, "requirements_en:")
    assert _messages(fixture_kb) == [
        f"knowledge_base/{SERVICE}:{line}: error: missing English: 'requirements_en' has 1 "
        "item(s) but 'requirements' has 2"
    ]


def test_empty_english_text(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "title_en: Birth Certificate", "title_en: ''")
    line = _line_of(path, "title_en:")
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert messages[0].startswith(f"knowledge_base/{SERVICE}:{line}: error: title_en")


def test_future_date_is_an_error(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "last_checked: '2026-01-15'", "last_checked: 2027-01-01")
    line = _line_of(path, "last_checked:")
    assert _messages(fixture_kb) == [
        f"knowledge_base/{SERVICE}:{line}: error: last_checked 2027-01-01 is in the future"
    ]


def test_stale_entry_is_a_warning(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "last_checked: '2026-01-15'", "last_checked: 2025-06-01")
    line = _line_of(path, "last_checked:")
    messages = _messages(fixture_kb)
    assert messages == [
        f"knowledge_base/{SERVICE}:{line}: warning: stale: last checked 2025-06-01, "
        "545 days ago; check it again"
    ]
    load_knowledge_base(fixture_kb)  # warnings do not stop loading


def test_unknown_journey_entry_and_missing_life_event(fixture_kb: Path) -> None:
    events = fixture_kb / "life_events.yml"
    _edit(events, "- spmb", "- spmbb")
    line = _line_of(events, "- spmbb")
    messages = _messages(fixture_kb)
    assert (
        f"knowledge_base/life_events.yml:{line}: error: unknown service id 'spmbb' in journey"
        in (messages)
    )
    text = events.read_text(encoding="utf-8")
    start = text.index("- id: death")
    events.write_text(text[:start], encoding="utf-8")
    assert "knowledge_base/life_events.yml:1: error: life event 'death' is missing" in _messages(
        fixture_kb
    )


def test_unknown_life_event_and_institution(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "- birth", "- birthday")
    _edit(path, "institution: dukcapil", "institution: capil")
    messages = _messages(fixture_kb)
    assert any(
        m.startswith(f"knowledge_base/{SERVICE}:") and "life_events[0]" in m for m in messages
    )
    fixed = fixture_kb / SERVICE
    _edit(fixed, "- birthday", "- birth")
    line = _line_of(fixed, "institution: capil")
    assert _messages(fixture_kb) == [
        f"knowledge_base/{SERVICE}:{line}: error: unknown institution 'capil' "
        "(add it to institutions.yml)"
    ]


def test_duplicate_glossary_term(fixture_kb: Path) -> None:
    glossary = fixture_kb / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "- term: akte\n  means: akta\n  kind: typo\n",
        encoding="utf-8",
    )
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert "glossary term 'akte' already defined at line 1" in messages[0]


def test_load_raises_with_all_errors(fixture_kb: Path) -> None:
    _edit(fixture_kb / SERVICE, "related: []", "related: [nope]")
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(fixture_kb)
    assert "unknown service id 'nope'" in str(info.value)


def test_the_real_knowledge_base_has_no_errors() -> None:
    from tests.conftest import REPO_ROOT

    problems = check(REPO_ROOT / "knowledge_base")
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == []


def test_unknown_service_in_situation(fixture_kb: Path) -> None:
    events = fixture_kb / "life_events.yml"
    text = events.read_text(encoding="utf-8")
    text = text.replace(
        "  - melahirkan\n",
        "  - melahirkan\n  situations:\n  - id: baru-lahir\n    name: Baru lahir\n    name_en: Just born\n"
        "    cues: [baru lahir]\n    services: [akta-kelahiran, akta-lahir]\n",
        1,
    )
    events.write_text(text, encoding="utf-8")
    line = _line_of(events, "services: [akta-kelahiran, akta-lahir]")
    assert _messages(fixture_kb) == [
        f"knowledge_base/life_events.yml:{line}: error: unknown service id 'akta-lahir' in situation"
    ]


def test_home_page_source_is_a_warning(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(
        path, "url: https://example.go.id/layanan/akta-kelahiran\n", "url: https://example.go.id/\n"
    )
    line = _line_of(path, "url: https://example.go.id/")
    messages = _messages(fixture_kb)
    assert any(
        m.startswith(f"knowledge_base/{SERVICE}:{line}: warning: source https://example.go.id/")
        and "home page" in m
        for m in messages
    ), messages
    # the facts now cite a page that is no longer among the sources: an error each
    assert sum("is not one of the service's sources" in m for m in messages) == 2


def test_specific_pages_are_not_home_pages() -> None:
    from navigator.kb.sources import is_home_page

    assert is_home_page("https://dukcapil.kemendagri.go.id")
    assert is_home_page("https://www.bpjs-kesehatan.go.id/id/")
    assert is_home_page("https://peraturan.bpk.go.id/index.php")
    assert not is_home_page("https://peraturan.bpk.go.id/Details/92007/perpres-no-96-tahun-2018")
    assert not is_home_page("https://example.go.id/?page=layanan")


def test_deadline_numbers_go_together(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "  unit: days\n", "")
    messages = _messages(fixture_kb)
    assert any("within, unit, counted_from and counted_from_en go together" in m for m in messages)
    assert all(m.startswith(f"knowledge_base/{SERVICE}:") for m in messages)


def test_online_needs_channels(fixture_kb: Path) -> None:
    path = fixture_kb / SERVICE
    _edit(path, "  channels:\n  - web\n", "")
    line = _line_of(path, "online:")
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert messages[0].startswith(f"knowledge_base/{SERVICE}:{line}")
    assert "name the channels" in messages[0]


@pytest.mark.parametrize(
    ("cue", "says"),
    [
        ("Biaya Sekolah", "lower-case words"),
        ("biaya* ...", "'...' only between two words"),  # a gap stands between two words
    ],
)
def test_dialogue_cue_errors_name_file_and_line(fixture_kb: Path, cue: str, says: str) -> None:
    path = fixture_kb / "dialogue.yml"
    _edit(path, "biaya*, bayar,", f"{cue}, bayar,")
    line = _line_of(path, cue)
    messages = _messages(fixture_kb)
    assert len(messages) == 1
    assert messages[0].startswith(f"knowledge_base/dialogue.yml:{line}: error: aspects[")
    assert says in messages[0]


def test_dialogue_file_is_required(fixture_kb: Path) -> None:
    (fixture_kb / "dialogue.yml").unlink()
    assert _messages(fixture_kb) == ["knowledge_base/dialogue.yml:1: error: file is missing"]


def test_kb_validate_checks_the_regions_folder_with_file_and_line(tmp_path: Path) -> None:
    """A regional fact with an unknown kabupaten/kota code is an error of `kb validate`."""
    import shutil

    from navigator.kb.validate import check
    from tests.support.fixture_kb import REAL_KB, write_fixture_kb

    kb = write_fixture_kb(tmp_path)
    (kb / "regions" / "facts").mkdir()
    fact = (REAL_KB / "regions" / "facts" / "di-yogyakarta.yml").read_text(encoding="utf-8")
    broken = fact.replace('code: "34.04"', 'code: "34.99"', 1)
    (kb / "regions" / "facts" / "di-yogyakarta.yml").write_text(broken, encoding="utf-8")
    problems = [str(p) for p in check(kb)]
    assert any("di-yogyakarta.yml" in p and "34.99" in p for p in problems), problems
    shutil.rmtree(kb / "regions" / "facts")
    assert not [p for p in check(kb) if p.severity == "error"]
