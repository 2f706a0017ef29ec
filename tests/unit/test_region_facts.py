"""Regional facts: the real files validate clean; broken copies give file:line errors."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from navigator.regions.facts import (
    RegionFactsError,
    facts_folder,
    load_facts,
    province_slug,
    read_facts,
    validate_facts,
)

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "knowledge_base" / "regions" / "facts"
TODAY = dt.date(2026, 12, 1)
SERVICES = {"akta-kelahiran", "ktp-elektronik", "kartu-identitas-anak"}


def write(folder: Path, name: str, text: str) -> Path:
    """Write one facts file (dedented) into a fresh facts folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems(folder: Path) -> list[str]:
    return validate_facts(folder, services=SERVICES, today=TODAY)


GOOD = """
    - code: "34.04"
      name: Kabupaten Sleman
      mpp:
        - name: Mal Pelayanan Publik Kabupaten Sleman
          address: "Beran Lor, Tridadi, Sleman"
          agencies: [Disdukcapil, BPJS Kesehatan]
          source: https://example.go.id/mpp-sleman
          last_checked: 2026-12-01
      online:
        - name: Aplikasi contoh
          url: https://example.go.id/app
          services: [akta-kelahiran]
          source: https://example.go.id/app-news
          last_checked: 2026-12-01
    """


# -- the real files -------------------------------------------------------------------


def test_real_facts_validate_clean() -> None:
    assert validate_facts(REAL) == []


def test_real_facts_load_and_answer_by_code() -> None:
    facts = load_facts(REAL)
    assert len(facts) > 100
    surabaya = facts.get("35.78")
    assert surabaya is not None and surabaya.name == "Kota Surabaya"
    assert surabaya.mpp and surabaya.mpp[0].source.startswith("https://")
    assert surabaya.online_for("akta-kelahiran")
    assert facts.get("35.78.01") == surabaya  # a kecamatan code is cut to its kabupaten/kota
    assert facts.get("99.99") is None
    for fact in facts:
        for mpp in fact.mpp:
            assert mpp.source.startswith(("http://", "https://"))
            assert mpp.last_checked <= dt.date.today()


def test_real_files_are_named_by_province() -> None:
    names = {path.stem for path in REAL.glob("*.yml")}
    assert "dki-jakarta" in names and "di-yogyakarta" in names and "jawa-timur" in names


def test_coverage_counts_add_up() -> None:
    facts = load_facts(REAL)
    coverage = facts.coverage()
    assert coverage["regions"] == len(facts)
    assert coverage["mpps"] >= coverage["with_mpp"] > 100
    assert coverage["with_dukcapil"] >= 1 and coverage["with_online"] >= 1
    assert coverage["with_rules"] >= 1
    per_province = coverage["provinces"]
    assert sum(p["regions"] for p in per_province.values()) == coverage["regions"]
    assert sum(p["mpps"] for p in per_province.values()) == coverage["mpps"]
    assert per_province["jawa-timur"]["with_mpp"] >= 5


def test_province_slug() -> None:
    assert province_slug("Daerah Istimewa Yogyakarta") == "di-yogyakarta"
    assert province_slug("Daerah Khusus Ibukota Jakarta") == "dki-jakarta"
    assert province_slug("Kepulauan Bangka Belitung") == "kepulauan-bangka-belitung"
    assert province_slug("Papua Barat Daya") == "papua-barat-daya"


def test_default_folder_follows_navigator_kb(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NAVIGATOR_KB", str(tmp_path / "kb"))
    assert facts_folder() == tmp_path / "kb" / "regions" / "facts"
    write(tmp_path / "kb" / "regions" / "facts", "di-yogyakarta.yml", GOOD)
    assert load_facts().get("34.04") is not None


# -- broken copies ----------------------------------------------------------------------


def test_a_good_copy_is_clean(tmp_path: Path) -> None:
    write(tmp_path, "di-yogyakarta.yml", GOOD)
    assert problems(tmp_path) == []


def test_unknown_code_and_wrong_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        "di-yogyakarta.yml",
        """
        - code: "34.99"
          name: Kabupaten Entah
        - code: "34.71"
          name: Kota Jogja
        """,
    )
    found = problems(tmp_path)
    assert "di-yogyakarta.yml:1: unknown kabupaten/kota code '34.99'" in found[0]
    assert found[1].endswith(
        "di-yogyakarta.yml:4: name 'Kota Jogja' does not match 34.71: 'Kota Yogyakarta'"
    )


def test_code_in_the_wrong_province_file(tmp_path: Path) -> None:
    write(tmp_path, "jawa-timur.yml", GOOD)
    (found,) = problems(tmp_path)
    assert found.endswith(
        "jawa-timur.yml:1: 34.04 is in Daerah Istimewa Yogyakarta: move it to di-yogyakarta.yml"
    )


def test_unquoted_code_is_named(tmp_path: Path) -> None:
    write(tmp_path, "di-yogyakarta.yml", "- code: 34.04\n  name: Kabupaten Sleman\n")
    (found,) = problems(tmp_path)
    assert found.endswith(
        'di-yogyakarta.yml:1: code must be quoted ("34.04"): YAML reads 34.04 as a number'
    )


def test_duplicate_code_across_files(tmp_path: Path) -> None:
    write(tmp_path, "di-yogyakarta.yml", GOOD)
    write(tmp_path, "jawa-tengah.yml", '- code: "34.04"\n  name: Kabupaten Sleman\n')
    (found,) = problems(tmp_path)
    assert "jawa-tengah.yml:1: duplicate code '34.04' (first at " in found
    assert "di-yogyakarta.yml:1)" in found


def test_unknown_service_ids(tmp_path: Path) -> None:
    text = GOOD.replace("services: [akta-kelahiran]", "services: [akta-lahir]")
    text += """
      rules:
        - service: ktp-hilang
          text: Denda Rp10.000 (Perda Nomor 1 Tahun 2020).
          text_en: A fine of Rp10,000 (Regional Regulation No. 1 of 2020).
          source: https://example.go.id/perda
          last_checked: 2026-12-01
    """
    write(tmp_path, "di-yogyakarta.yml", text)
    found = problems(tmp_path)
    assert len(found) == 2
    assert found[0].endswith("di-yogyakarta.yml:12: unknown service id 'akta-lahir'")
    assert found[1].endswith("di-yogyakarta.yml:17: unknown service id 'ktp-hilang'")


def test_source_not_a_url_and_date_in_the_future(tmp_path: Path) -> None:
    text = GOOD.replace("source: https://example.go.id/mpp-sleman", "source: dikutip dari koran")
    text = text.replace("last_checked: 2026-12-01", "last_checked: 2027-01-05", 1)
    write(tmp_path, "di-yogyakarta.yml", text)
    found = problems(tmp_path)
    assert len(found) == 2
    assert found[0].endswith(":7: source 'dikutip dari koran' is not an http(s) URL")
    assert found[1].endswith(":8: last_checked 2027-01-05 is in the future")


def test_missing_source_and_unknown_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        "di-yogyakarta.yml",
        """
        - code: "34.04"
          name: Kabupaten Sleman
          mpp:
            - name: Mal Pelayanan Publik Kabupaten Sleman
              last_checked: 2026-12-01
          dukcapil:
            name: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sleman
            alamat: Jalan Parasamya
            source: https://example.go.id/dukcapil
            last_checked: 2026-12-01
        """,
    )
    found = problems(tmp_path)
    assert found[0].endswith(":4: missing required field 'mpp[0].source'")
    assert found[1].endswith(":8: unknown field 'dukcapil.alamat' (misspelt?)")


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    write(tmp_path, "di-yogyakarta.yml", '- code: "34.04"\n  name: [Kabupaten Sleman\n')
    (found,) = problems(tmp_path)
    assert "di-yogyakarta.yml:" in found and "YAML syntax error" in found


def test_load_facts_raises_on_a_broken_file(tmp_path: Path) -> None:
    write(tmp_path, "di-yogyakarta.yml", "- code: 34.04\n")
    with pytest.raises(RegionFactsError) as caught:
        load_facts(tmp_path)
    assert "di-yogyakarta.yml:1:" in str(caught.value)
    facts, found = read_facts(tmp_path)
    assert len(facts) == 0 and len(found) == 1


def test_duplicate_mpp_in_one_region(tmp_path: Path) -> None:
    write(
        tmp_path,
        "di-yogyakarta.yml",
        """
        - code: "34.04"
          name: Kabupaten Sleman
          mpp:
            - name: Mal Pelayanan Publik Kabupaten Sleman
              source: https://example.go.id/satu
              last_checked: 2026-12-01
            - name: Mal Pelayanan Publik Kabupaten Sleman
              source: https://example.go.id/dua
              last_checked: 2026-12-01
        """,
    )
    (found,) = problems(tmp_path)
    assert found.endswith(
        ":7: MPP 'Mal Pelayanan Publik Kabupaten Sleman' is listed twice (see line 4)"
    )
