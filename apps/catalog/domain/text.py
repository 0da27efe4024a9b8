"""Text normalisation for search (pure)."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """The form free-text search compares: NFKC (full-width ASCII and half-width kana folded),
    lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def listing_search_text(
    *, name: str, summary: str, description: str, vendor: str, labels: list[str]
) -> str:
    """What free-text search reads for a listing: its own words, its vendor, and the names of
    its category, pattern and compliance marks (so "LGWAN", "ISMAP" or "共通化B" in a query
    finds the listings that carry them)."""
    return normalise(" ".join([name, summary, description, vendor, *labels]))
