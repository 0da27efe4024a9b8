from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "利用者 (accounts)"

    def ready(self) -> None:
        from apps.accounts import auth  # noqa: F401  (connects the authentication log)
