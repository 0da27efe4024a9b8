"""Romanise a body's kana reading into the slug used for its schema and domain.

The reference data carries each body's reading in half-width katakana (ｲﾁﾉﾐﾔｼ). The slug is the
reading in simplified Hepburn without the administrative suffix (市, 町, 村, 区, 県, 府, 都) and
with long vowels folded (ou, oo -> o; uu -> u): 一宮市 -> "ichinomiya", 東京都 -> "tokyo".
"""

from __future__ import annotations

import re
import unicodedata

_MONO = {
    "ア": "a",
    "イ": "i",
    "ウ": "u",
    "エ": "e",
    "オ": "o",
    "カ": "ka",
    "キ": "ki",
    "ク": "ku",
    "ケ": "ke",
    "コ": "ko",
    "サ": "sa",
    "シ": "shi",
    "ス": "su",
    "セ": "se",
    "ソ": "so",
    "タ": "ta",
    "チ": "chi",
    "ツ": "tsu",
    "テ": "te",
    "ト": "to",
    "ナ": "na",
    "ニ": "ni",
    "ヌ": "nu",
    "ネ": "ne",
    "ノ": "no",
    "ハ": "ha",
    "ヒ": "hi",
    "フ": "fu",
    "ヘ": "he",
    "ホ": "ho",
    "マ": "ma",
    "ミ": "mi",
    "ム": "mu",
    "メ": "me",
    "モ": "mo",
    "ヤ": "ya",
    "ユ": "yu",
    "ヨ": "yo",
    "ラ": "ra",
    "リ": "ri",
    "ル": "ru",
    "レ": "re",
    "ロ": "ro",
    "ワ": "wa",
    "ヰ": "i",
    "ヱ": "e",
    "ヲ": "o",
    "ン": "n",
    "ガ": "ga",
    "ギ": "gi",
    "グ": "gu",
    "ゲ": "ge",
    "ゴ": "go",
    "ザ": "za",
    "ジ": "ji",
    "ズ": "zu",
    "ゼ": "ze",
    "ゾ": "zo",
    "ダ": "da",
    "ヂ": "ji",
    "ヅ": "zu",
    "デ": "de",
    "ド": "do",
    "バ": "ba",
    "ビ": "bi",
    "ブ": "bu",
    "ベ": "be",
    "ボ": "bo",
    "パ": "pa",
    "ピ": "pi",
    "プ": "pu",
    "ペ": "pe",
    "ポ": "po",
    "ヴ": "vu",
    "ァ": "a",
    "ィ": "i",
    "ゥ": "u",
    "ェ": "e",
    "ォ": "o",
}

_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_Y_BASE = {"シ": "sh", "チ": "ch", "ジ": "j", "ヂ": "j"}

# Administrative suffix in the name -> the readings it may have at the end of the kana.
_SUFFIX_READINGS = {
    "市": ("シ",),
    "区": ("ク",),
    "町": ("チョウ", "マチ"),
    "村": ("ムラ", "ソン"),
    "県": ("ケン",),
    "府": ("フ",),
    "都": ("ト",),
}


def katakana_to_romaji(kana: str) -> str:
    text = unicodedata.normalize("NFKC", kana)
    out: list[str] = []
    double_next = False
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "ッ":
            double_next = True
            i += 1
            continue
        if ch == "ー":
            if out and out[-1]:
                out.append(out[-1][-1])
            i += 1
            continue
        if nxt in _SMALL_Y and ch in _MONO:
            if ch in _Y_BASE:
                syllable = _Y_BASE[ch] + _SMALL_Y[nxt]
            else:
                syllable = _MONO[ch][:-1] + "y" + _SMALL_Y[nxt]
            i += 2
        elif ch in _MONO:
            syllable = _MONO[ch]
            i += 1
        else:
            # Anything that is not katakana (a space, a middle dot) is dropped from a slug.
            i += 1
            continue
        if double_next:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double_next = False
        out.append(syllable)
    return "".join(out)


def fold_long_vowels(romaji: str) -> str:
    return re.sub(r"ou|oo", "o", romaji).replace("uu", "u")


def strip_suffix_reading(name: str, kana: str) -> str:
    """The kana without the reading of the name's administrative suffix."""
    full = unicodedata.normalize("NFKC", kana)
    for reading in _SUFFIX_READINGS.get(name[-1:], ()):
        if full.endswith(reading) and len(full) > len(reading):
            return full[: -len(reading)]
    return full


def suffix_romaji(name: str, kana: str) -> str:
    full = unicodedata.normalize("NFKC", kana)
    stem = strip_suffix_reading(name, kana)
    return fold_long_vowels(katakana_to_romaji(full[len(stem) :]))


def stem_slug(name: str, kana: str) -> str:
    """一宮市/ｲﾁﾉﾐﾔｼ -> "ichinomiya"."""
    return fold_long_vowels(katakana_to_romaji(strip_suffix_reading(name, kana)))
