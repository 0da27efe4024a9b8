"""What every PDF of the portal shares: the Japanese font, installed with the project."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import noto_cjk_sans_jp_regular


@lru_cache(maxsize=1)
def font_path() -> str:
    """Noto Sans CJK JP (SIL OFL) from its PyPI package, not from the machine."""
    path = Path(noto_cjk_sans_jp_regular.__file__).parent / "NotoSansCJKjp-Regular.otf"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: reinstall noto-cjk-sans-jp-regular")
    return str(path)
