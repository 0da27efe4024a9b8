"""Check digits of Japanese public identifiers.

- 全国地方公共団体コード (local government code): 5 digits plus a check digit. Weights 6,5,4,3,2
  over the first five digits; check = (11 - sum mod 11) mod 10 (only the last digit is kept).
- 法人番号 (corporate number): 13 digits, the FIRST is the check digit over the other twelve:
  check = 9 - (sum(P_n * Q_n) mod 9), P_n the n-th digit counted from the right of the twelve,
  Q_n = 1 for odd n and 2 for even n (国税庁「法人番号の指定等に関する省令」第2条).
- 適格請求書発行事業者登録番号 (qualified-invoice registration number): "T" + 13 digits with the
  same check digit as the corporate number.
"""

from __future__ import annotations

LOCAL_GOVERNMENT_WEIGHTS = (6, 5, 4, 3, 2)


def local_government_check_digit(first_five: str) -> int:
    if len(first_five) != 5 or not first_five.isascii() or not first_five.isdigit():
        raise ValueError("the first five digits of a local government code are required")
    total = sum(int(d) * w for d, w in zip(first_five, LOCAL_GOVERNMENT_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_local_government_code(code: str) -> bool:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return local_government_check_digit(code[:5]) == int(code[5])


def corporate_number_check_digit(base_twelve: str) -> int:
    if len(base_twelve) != 12 or not base_twelve.isascii() or not base_twelve.isdigit():
        raise ValueError("twelve digits are required")
    total = 0
    for n, digit in enumerate(reversed(base_twelve), start=1):
        total += int(digit) * (1 if n % 2 else 2)
    return 9 - total % 9


def is_valid_corporate_number(number: str) -> bool:
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return False
    return corporate_number_check_digit(number[1:]) == int(number[0])


def is_valid_invoice_registration_number(number: str) -> bool:
    return len(number) == 14 and number[0] == "T" and is_valid_corporate_number(number[1:])
