from apps.tenants.management.commands.migrate_schemas import Command

__all__ = ["Command"]
