"""The reference list and slugs: pure functions, no database."""

from pathlib import Path

import pytest

from apps.tenants.domain.reference import ReferenceDataError, assign_slugs, parse_reference_csv
from apps.tenants.domain.romaji import katakana_to_romaji, stem_slug

CSV = Path(__file__).resolve().parents[2] / "data" / "municipalities.csv"


@pytest.fixture(scope="module")
def records():  # type: ignore[no-untyped-def]
    with CSV.open(encoding="utf-8") as fh:
        return parse_reference_csv(fh)


def test_the_list_holds_1788_bodies_47_prefectures(records) -> None:  # type: ignore[no-untyped-def]
    assert len(records) == 1788
    assert sum(r.kind == "prefecture" for r in records) == 47
    aichi = [r for r in records if r.prefecture == "愛知県" and r.kind != "prefecture"]
    assert len(aichi) == 54
    assert sum(r.population_2020 for r in aichi) == 7_546_192
    futaba = next(r for r in records if r.code == "075469")
    assert (futaba.name, futaba.population_2020) == ("双葉町", 0)


def test_every_slug_is_unique_and_a_dns_label(records) -> None:  # type: ignore[no-untyped-def]
    slugs = assign_slugs(records)
    assert len(set(slugs.values())) == 1788
    assert all(s.replace("-", "").isalnum() and s.isascii() and s.islower() for s in slugs.values())
    assert max(len(s) for s in slugs.values()) <= 63


@pytest.mark.parametrize(
    ("code", "slug"),
    [
        ("232033", "ichinomiya"),  # 一宮市 (Aichi) is more populous than 一宮町 (Chiba)
        ("124214", "ichinomiya-machi"),
        ("230006", "aichi-pref"),
        ("130001", "tokyo-pref"),
        ("231002", "nagoya"),
        ("232017", "toyohashi"),
        ("013617", "esashi-cho-013617"),  # 江差町 and 枝幸町 of Hokkaido both read えさしちょう
        ("015148", "esashi"),
    ],
)
def test_known_slugs(records, code: str, slug: str) -> None:  # type: ignore[no-untyped-def]
    assert assign_slugs(records)[code] == slug


def test_slugs_do_not_depend_on_order(records) -> None:  # type: ignore[no-untyped-def]
    assert assign_slugs(list(reversed(records))) == assign_slugs(records)


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [
        ("ｲﾁﾉﾐﾔｼ", "ichinomiyashi"),
        ("ﾎｯｶｲﾄﾞｳ", "hokkaidou"),
        ("ｷｮｳﾄﾌ", "kyoutofu"),
        ("ｼﾞｮｳｿｳｼ", "jousoushi"),
        ("ｵｯﾁｬﾝ", "otchan"),
    ],
)
def test_katakana_to_romaji(kana: str, romaji: str) -> None:
    assert katakana_to_romaji(kana) == romaji


def test_stem_drops_the_suffix_and_folds_long_vowels() -> None:
    assert stem_slug("東京都", "ﾄｳｷｮｳﾄ") == "tokyo"
    assert stem_slug("大阪府", "ｵｵｻｶﾌ") == "osaka"
    assert stem_slug("森町", "ﾓﾘﾏﾁ") == "mori"


def test_a_wrong_check_digit_is_refused_with_its_line() -> None:
    lines = [
        "code,prefecture,name,kana,kind,population_2020,population_2025\n",
        "232033,愛知県,一宮市,ｲﾁﾉﾐﾔｼ,city,379981,368755\n",
        "232034,愛知県,偽市,ﾆｾｼ,city,1,1\n",
    ]
    with pytest.raises(ReferenceDataError, match="line 3: code '232034' has a wrong check digit"):
        parse_reference_csv(lines)
