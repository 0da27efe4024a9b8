"""Reading a bank's transfer statement: the 全銀協 (Zengin) fixed-length 入出金取引明細 and a
CSV export. Only credits (入金) matter to receivables; debits are counted and left aside. No
Django here: the service records what this returns.

Zengin 入出金取引明細: records of 200 bytes in Shift_JIS (half-width kana), with or without a
line break after each, in the order header (1), data (2)..., trailer (8), end (9). The fields
read (byte offsets from 0):

    header   0 データ区分 "1"  1-2 種別コード "03"  4-9 作成日  10-15 勘定日(自)  16-21 勘定日(至)
             22-25 銀行コード  26-40 銀行名  41-43 支店コード  44-58 支店名  62 預金種目
             63-72 口座番号  73-112 口座名
    data     0 "2"  1-8 照会番号  9-14 勘定日  15-20 預入・払出日  21 入払区分 (1 入金,
             2 出金)  22-23 取引区分  24-35 取引金額  36-47 うち他店券金額  48-53 交換呈示日
             54-59 不渡返還日  60 手形・小切手区分  61-67 手形・小切手番号  68-70 僚店番号
             71-80 振込依頼人コード  81-128 振込依頼人名  129-143 仕向銀行名  144-158 仕向店名
             159-178 摘要内容  179-198 EDI情報  199 ダミー
    trailer  0 "8"  1-6 入金件数  7-19 入金額合計  20-25 出金件数  26-38 出金額合計
    end      0 "9"

Dates are YYMMDD in the 和暦 (令和) year, as the standard has them: 081127 is 令和8年11月27日.

CSV: a header row, then one row per transaction. Columns are found by name: 日付 (or 勘定日,
取引日), 入金金額 (or 入金額, お預り金額), 振込依頼人名 (or 振込依頼人, 依頼人名), and optionally
摘要, 照会番号. Rows without a credit amount (debits) are left aside. Dates as 2026-11-27 or
2026/11/27; amounts may carry commas and 円. UTF-8 (with or without BOM) or Shift_JIS."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from apps.core.domain.errors import DomainError

RECORD = 200
MAX_PROBLEMS = 20
REIWA_FIRST_YEAR = 2019


@dataclass(frozen=True)
class Credit:
    line_no: int
    booked_on: dt.date
    amount_yen: int
    payer_name: str
    reference: str = ""
    memo: str = ""


@dataclass
class Statement:
    format: str
    credits: list[Credit] = field(default_factory=list)
    debits: int = 0
    account: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None


class StatementMalformed(DomainError):
    """The file cannot be read as a statement: every problem found (up to MAX_PROBLEMS), each
    with its line number and what is wrong."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        first_line, first = self.problems[0]
        super().__init__(
            f"明細ファイルを読み取れません ({len(problems)}件の誤り)。"
            f"{first_line}行目: {first} ファイルを確認して、もう一度取り込んでください。"
            "何も記録していません。",
            "statement_malformed",
            field="file",
        )

    @property
    def fields(self) -> dict[str, list[str]]:
        return {"file": [f"{line}行目: {text}" for line, text in self.problems]}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    message = "文字コードを判別できません (UTF-8 か Shift_JIS にしてください)。"
    raise StatementMalformed([(1, message)])


# --- Zengin fixed length -----------------------------------------------------------------------


def _zengin_records(data: bytes) -> list[tuple[int, bytes]]:
    """(line number, record): one record per line, or 200-byte blocks when there are no line
    breaks (the line number is then the record's place)."""
    data = data.rstrip(b"\x1a")  # an end-of-file mark some banks append
    if b"\n" in data:
        lines = [line.rstrip(b"\r") for line in data.split(b"\n")]
        return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    return [(i // RECORD + 1, data[i : i + RECORD]) for i in range(0, len(data), RECORD)]


def _wareki_yymmdd(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{6}", text):
        return None
    try:
        return dt.date(REIWA_FIRST_YEAR - 1 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


class _Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def problem(self, line: int, text: str) -> None:
        self.problems.append((line, text))

    def digits(self, line: int, text: str, name: str) -> int | None:
        if not re.fullmatch(r"\d+", text):
            self.problem(line, f"{name}は数字でなければなりません (「{text.strip()}」)。")
            return None
        return int(text)

    def date(self, line: int, text: str, name: str) -> dt.date | None:
        day = _wareki_yymmdd(text)
        if day is None:
            self.problem(line, f"{name}「{text}」は日付 (和暦 YYMMDD) ではありません。")
        return day


def parse_zengin(data: bytes) -> Statement:
    reader = _Reader()
    statement = Statement(format="zengin")
    records = _zengin_records(data)
    kinds: list[str] = []
    trailer: tuple[int, str] | None = None
    credit_total = 0
    for number, raw in records:
        if len(raw) != RECORD:
            reader.problem(number, f"レコード長が{len(raw)}バイトです (200バイトのはずです)。")
            continue
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            reader.problem(number, "Shift_JIS として読めない文字があります。")
            continue
        kind = text[0]
        kinds.append(kind)
        # a record is 200 bytes, and so 200 characters when it holds only half-width kana; a
        # full-width character would shift every field after it
        if len(text) != RECORD:
            reader.problem(number, "全角文字が含まれています (半角カナで作成してください)。")
            continue
        if kind == "1":
            if text[1:3] != "03":
                reader.problem(
                    number, f"種別コード「{text[1:3]}」は入出金取引明細 (03) ではありません。"
                )
            statement.period_from = reader.date(number, text[10:16], "勘定日(自)")
            statement.period_to = reader.date(number, text[16:22], "勘定日(至)")
            statement.account = f"{text[22:26]}-{text[41:44]}-{text[62]}-{text[63:73].strip()}"
        elif kind == "2":
            booked = reader.date(number, text[9:15], "勘定日")
            amount = reader.digits(number, text[24:36], "取引金額")
            direction = text[21]
            if direction not in ("1", "2"):
                reader.problem(number, f"入払区分「{direction}」は 1 (入金) か 2 (出金) です。")
                continue
            if direction == "2":
                statement.debits += 1
                continue
            if booked is None or amount is None:
                continue
            credit_total += amount
            statement.credits.append(
                Credit(
                    line_no=number,
                    booked_on=booked,
                    amount_yen=amount,
                    payer_name=text[81:129].strip(),
                    reference=text[1:9].strip(),
                    memo=" ".join(p for p in (text[159:179].strip(), text[179:199].strip()) if p),
                )
            )
        elif kind == "8":
            trailer = (number, text)
        elif kind == "9":
            pass
        else:
            reader.problem(number, f"データ区分「{kind}」は 1・2・8・9 のいずれかです。")
    if kinds[:1] != ["1"]:
        reader.problem(1, "先頭がヘッダーレコード (データ区分 1) ではありません。")
    last_line = records[-1][0] if records else 1
    if trailer is None:
        reader.problem(last_line, "トレーラーレコード (データ区分 8) がありません。")
    elif not reader.problems:
        number, text = trailer
        count = reader.digits(number, text[1:7], "入金件数")
        total = reader.digits(number, text[7:20], "入金額合計")
        if count is not None and count != len(statement.credits):
            reader.problem(
                number,
                f"入金件数が{count}件とありますが、明細には{len(statement.credits)}件あります。",
            )
        if total is not None and total != credit_total:
            reader.problem(
                number,
                f"入金額合計が{total:,}円とありますが、明細の合計は{credit_total:,}円です。",
            )
    if kinds[-1:] != ["9"]:
        reader.problem(last_line, "最後がエンドレコード (データ区分 9) ではありません。")
    if reader.problems:
        raise StatementMalformed(sorted(reader.problems))
    return statement


# --- CSV ---------------------------------------------------------------------------------------

COLUMNS = {
    "date": ("日付", "勘定日", "取引日"),
    "amount": ("入金金額", "入金額", "お預り金額"),
    "payer": ("振込依頼人名", "振込依頼人", "依頼人名"),
    "memo": ("摘要", "メモ"),
    "reference": ("照会番号",),
}
REQUIRED = ("date", "amount", "payer")


def _csv_date(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_csv(data: bytes) -> Statement:
    text = _decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise StatementMalformed([(line, "NUL 文字が含まれています。CSV ファイルではありません。")])
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise StatementMalformed([(1, f"CSV として読めません ({exc})。")]) from exc
    if not rows:
        raise StatementMalformed([(1, "ファイルが空です。")])
    header = [h.strip() for h in rows[0]]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in header:
                where[key] = header.index(name)
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in where]
    if missing:
        raise StatementMalformed([(1, f"見出し行に「{'」「'.join(missing)}」の列がありません。")])
    reader = _Reader()
    statement = Statement(format="csv")
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            reader.problem(number, f"列が{len(row)}個しかありません ({len(header)}個のはずです)。")
            continue

        def cell(key: str, row: list[str] = row) -> str:
            return row[where[key]].strip() if key in where else ""

        amount_text = cell("amount").replace(",", "").replace("円", "")
        if amount_text == "":
            statement.debits += 1
            continue
        booked = _csv_date(cell("date"))
        if booked is None:
            reader.problem(number, f"日付「{cell('date')}」を読めません (例: 2026-11-27)。")
        if not re.fullmatch(r"\d{1,13}", amount_text):
            reader.problem(number, f"入金金額「{cell('amount')}」は正の整数 (円) ではありません。")
            continue
        if booked is None:
            continue
        if int(amount_text) == 0:
            statement.debits += 1
            continue
        statement.credits.append(
            Credit(
                line_no=number,
                booked_on=booked,
                amount_yen=int(amount_text),
                payer_name=cell("payer")[:48],
                reference=cell("reference")[:20],
                memo=cell("memo")[:60],
            )
        )
    if reader.problems:
        raise StatementMalformed(reader.problems)
    return statement


def parse_statement(data: bytes, *, format: str) -> Statement:
    if not data.strip():
        raise StatementMalformed([(1, "ファイルが空です。")])
    return parse_zengin(data) if format == "zengin" else parse_csv(data)


def guess_format(data: bytes) -> str:
    """A Zengin file starts with a header record "103"; anything else is read as CSV."""
    return "zengin" if data[:3] == b"103" else "csv"
