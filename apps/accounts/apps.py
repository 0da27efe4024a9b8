from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "利用者"

    def ready(self) -> None:
        from apps.accounts import auth  # noqa: F401  (connects the authentication log)


class AxesJapaneseConfig(AxesAppConfig):
    """django-axes (log-in lockout) under a Japanese name in the operator's admin; its model
    and field names come from locale/ja (the package ships no Japanese)."""

    verbose_name = "ログイン保護"
