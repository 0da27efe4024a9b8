"""Bank accounts for 振込先: bank and branch codes checked against the zengin-code package
(the 全銀協 code list, republished as data each month), the holder's name in the characters a
transfer may carry. No Django here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import jaconv
import zengin_code

from apps.core.domain.errors import DomainError

# what a Zengin name field may hold once made half-width: kana, digits, capitals, a few signs
HOLDER = re.compile(r"[ｦ-ﾟ0-9A-Z ().,\-/]+")


@dataclass(frozen=True)
class Branch:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str


@cache
def _banks() -> dict:
    return dict(zengin_code.Bank.all)


def branch_of(bank_code: str, branch_code: str) -> Branch:
    if not re.fullmatch(r"\d{4}", bank_code):
        raise DomainError("金融機関コードは4桁の数字です。", "invalid_bank_code", "bank_code")
    if not re.fullmatch(r"\d{3}", branch_code):
        raise DomainError("支店コードは3桁の数字です。", "invalid_branch_code", "branch_code")
    bank = _banks().get(bank_code)
    if bank is None:
        raise DomainError(
            f"金融機関コード {bank_code} は全銀協の一覧にありません。通帳で確認してください。",
            "unknown_bank",
            "bank_code",
        )
    branch = bank.branches.get(branch_code)
    if branch is None:
        raise DomainError(
            f"{bank.name}に支店コード {branch_code} の支店はありません。通帳で確認してください。",
            "unknown_branch",
            "branch_code",
        )
    return Branch(bank_code, bank.name, branch_code, branch.name)


def account_number(text: str) -> str:
    """1 to 7 digits, written with leading zeros to 7."""
    digits = jaconv.z2h(text.strip(), digit=True, ascii=False, kana=False)
    if not re.fullmatch(r"\d{1,7}", digits):
        message = "口座番号は7桁以内の数字です。"
        raise DomainError(message, "invalid_account_number", "account_number")
    return digits.zfill(7)


def holder_kana(text: str) -> str:
    """The account holder as a transfer writes it: full-width katakana here (half-width on
    the wire), in the characters a Zengin name field allows."""
    half = jaconv.z2h(jaconv.hira2kata(text.strip()), kana=True, ascii=True, digit=True).upper()
    if not half or not HOLDER.fullmatch(half):
        raise DomainError(
            "口座名義はカナ・英数字で入力してください (例: アイチデンシジチタイキヨウギカイ)。",
            "invalid_account_holder",
            "account_holder_kana",
        )
    return jaconv.h2z(half, kana=True, ascii=False, digit=False)
