from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "共通"

    def ready(self) -> None:
        from django.urls import register_converter

        import apps.core.lookups  # noqa: F401 (registers field__any)
        from apps.core.converters import BodyCodeConverter, FiscalYearConverter, IdConverter

        register_converter(IdConverter, "id")
        register_converter(FiscalYearConverter, "fy")
        register_converter(BodyCodeConverter, "code")
