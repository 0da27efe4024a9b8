from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Aichi demo (`manage.py load_demo`): loaders that call every feature app's services,
    kept out of apps.core so that core depends on no feature app."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "デモデータ"
