import pytest

from apps.tenants.domain.codes import (
    is_valid_corporate_number,
    is_valid_invoice_registration_number,
    is_valid_local_government_code,
    local_government_check_digit,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("232033", True),  # 一宮市
        ("230006", True),  # 愛知県
        ("131016", True),  # 千代田区
        ("075469", True),  # 双葉町
        ("232034", False),
        ("23203", False),
        ("2320330", False),
        ("23203a", False),
        ("２３２０３３", False),  # full-width digits are not a code
    ],
)
def test_local_government_code_check_digit(code: str, valid: bool) -> None:
    assert is_valid_local_government_code(code) is valid


@pytest.mark.parametrize(
    ("first_five", "check"),
    [
        ("01100", 2),  # 5 + 4 = 9 -> 11 - 9 = 2
        ("11000", 1),  # 6 + 5 = 11 -> remainder 0 -> 11, last digit 1
        ("20000", 0),  # 12 -> remainder 1 -> 10, last digit 0
    ],
)
def test_check_digit_keeps_only_the_last_digit(first_five: str, check: int) -> None:
    assert local_government_check_digit(first_five) == check


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4180001234567", True),
        ("7000012050002", True),  # 国税庁's own corporate number
        ("5180001234567", False),
        ("418000123456", False),
    ],
)
def test_corporate_number(number: str, valid: bool) -> None:
    assert is_valid_corporate_number(number) is valid


def test_invoice_registration_number_is_t_and_a_corporate_number() -> None:
    assert is_valid_invoice_registration_number("T7000012050002")
    assert not is_valid_invoice_registration_number("7000012050002")
    assert not is_valid_invoice_registration_number("T7000012050003")
    assert not is_valid_invoice_registration_number("t7000012050002")
