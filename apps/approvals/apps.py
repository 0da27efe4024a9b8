from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """Tables in each body's schema: the body's own internal review of its applications."""

    name = "apps.approvals"
    label = "approvals"
    verbose_name = "団体内承認"
