from __future__ import annotations


class ApplicationError(Exception):
    """A refusal the user can act on. `code` is stable (clients match on it); `message` is what
    the user reads and says what to do; `fields` names the bad input fields, if any."""

    status = 400

    def __init__(
        self,
        message: str,
        code: str,
        *,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    status = 404

    def __init__(self, message: str = "見つかりません。", code: str = "not_found") -> None:
        super().__init__(message, code)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(
        self, message: str = "この操作の権限がありません。", code: str = "forbidden"
    ) -> None:
        super().__init__(message, code)
