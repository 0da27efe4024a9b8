"""Text normalisation for search (pure)."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """The form free-text search compares: NFKC (full-width ASCII and half-width kana folded),
    lower case."""
    return unicodedata.normalize("NFKC", text).lower()
