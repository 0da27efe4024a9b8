from django.apps import AppConfig


class OutlookConfig(AppConfig):
    name = "apps.outlook"
    label = "outlook"
    verbose_name = "予算の見通し"
