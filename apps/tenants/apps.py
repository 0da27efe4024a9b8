from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TenantsConfig(AppConfig):
    name = "apps.tenants"
    label = "tenants"
    verbose_name = "団体"

    def ready(self) -> None:
        from apps.tenants.cache import changed
        from apps.tenants.models import Body, Domain, PopulationFigure

        # The body a host serves and its population: any save or delete of a body, a domain or
        # a population figure makes a new version.
        for model in (Body, Domain, PopulationFigure):
            post_save.connect(changed, sender=model, dispatch_uid=f"tenants-cache-{model.__name__}")
            post_delete.connect(
                changed, sender=model, dispatch_uid=f"tenants-cache-del-{model.__name__}"
            )
