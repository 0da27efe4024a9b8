from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "apps.groups"
    label = "groups"
    verbose_name = "協議会・研究会"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.groups.cache import changed
        from apps.groups.models import Membership

        # a body's groups (each quote's joint-use count): any change makes a new version
        post_save.connect(changed, sender=Membership, dispatch_uid="groups-cache")
        post_delete.connect(changed, sender=Membership, dispatch_uid="groups-cache-del")
