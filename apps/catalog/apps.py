from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"
    verbose_name = "サービスカタログ"

    def ready(self) -> None:
        from apps.catalog.cache import changed
        from apps.catalog.models import FeeBand, FeeSchedule, Listing
        from apps.vendors.models import Vendor

        # Whatever the search results or a quote show: any save or delete makes a new version.
        for model in (Listing, FeeSchedule, FeeBand, Vendor):
            post_save.connect(changed, sender=model, dispatch_uid=f"catalog-cache-{model.__name__}")
            post_delete.connect(
                changed, sender=model, dispatch_uid=f"catalog-cache-del-{model.__name__}"
            )
