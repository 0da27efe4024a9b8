"""The one error domain code raises. No Django here: the API's exception handler and the
pages' error path (apps.core) turn it into the usual refusal, a 400 naming the field."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule refused a value: `message` says what was wrong and what to do, `code` is stable
    (clients match on it), `field` names the input at fault, when there is one."""

    def __init__(self, message: str, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    @property
    def fields(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}
