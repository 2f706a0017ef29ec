"""The answer from the places found: where the citizen lives, the ID card's region, the
province when no kabupaten/kota is named."""

from __future__ import annotations

from dataclasses import replace

from navigator.regions.model import Mention, Region, Resolution


def _distinct(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for mention in mentions:
        same = next((m for m in out if m.region.code == mention.region.code), None)
        if same is None:
            out.append(mention)
        elif same.role is None and mention.role is not None:
            out[out.index(same)] = replace(same, role=mention.role)
    return out


def _settled(mentions: list[Mention]) -> list[Mention]:
    """A name several kabupaten/kota share, settled by another place of the message in one
    of them ("Malang, tepatnya di Singosari": Singosari is of Kabupaten Malang)."""
    codes = {m.region.code for m in mentions}
    out: list[Mention] = []
    for mention in mentions:
        fit = next((r for r in mention.alternatives if r.code in codes), None)
        if fit is not None:
            others = tuple(r for r in (mention.region, *mention.alternatives) if r != fit)
            mention = replace(mention, region=fit, alternatives=others)
        out.append(mention)
    return out


def answer(mentions: list[Mention], abroad: bool = False) -> Resolution:
    """The first place where the citizen lives, else the first without a role, else the
    ID card's; a province when only a province is named (or lived in)."""
    mentions = _distinct(_settled(mentions))
    regencies = [m for m in mentions if m.region.level == 2]
    provinces = [m for m in mentions if m.region.level == 1]
    lives = [m for m in regencies if m.role == "lives"]
    if not lives and any(m.role == "lives" for m in provinces):
        regencies = [m for m in regencies if m.role == "ktp"]  # lives in a province, no more
    plain = [m for m in regencies if m.role is None]
    ktp = [m for m in regencies if m.role == "ktp"]
    ranked = lives or plain
    primary = ranked[0] if ranked else (ktp[0] if ktp and not provinces else None)
    card = next((m for m in ktp if m is not primary), ktp[0] if ktp else None)
    province = primary.region if primary is not None else None
    if primary is None and provinces:
        lives_p = [m for m in provinces if m.role == "lives"]
        province = (lives_p or provinces)[0].region
    notes: list[str] = []
    if primary is not None and primary.alternatives:
        others = ", ".join(r.name for r in primary.alternatives)
        notes.append(f"'{primary.text}' also names {others}")
    if abroad and primary is None:
        notes.append("the message names a place abroad")
    return Resolution(
        region=primary.region if primary is not None else None,
        ktp=card.region if card is not None else None,
        province=None if province is None else _province_of(province),
        mentions=tuple(mentions),
        alternatives=primary.alternatives if primary is not None else (),
        abroad=abroad and primary is None,
        notes=tuple(notes),
    )


def _province_of(region: Region) -> Region:
    if region.level == 1:
        return region
    return Region(
        region.province_code, region.province, "provinsi", region.province_code, region.province
    )
