from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # the app's config: this module also holds (and imports) django-axes' configs
    default = True
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "利用者"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.accounts import auth  # noqa: F401  (connects the authentication log)
        from apps.accounts.backends import user_changed
        from apps.accounts.models import User

        # the session's user is cached (apps/accounts/backends.py): any change reads afresh
        post_save.connect(user_changed, sender=User, dispatch_uid="accounts-user-cache")
        post_delete.connect(user_changed, sender=User, dispatch_uid="accounts-user-cache-del")


class AxesJapaneseConfig(AxesAppConfig):
    """django-axes (log-in lockout) under a Japanese name in the operator's admin; its model
    and field names come from locale/ja (the package ships no Japanese)."""

    verbose_name = "ログイン保護"
