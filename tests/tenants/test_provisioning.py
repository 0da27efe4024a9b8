import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from apps.tenants.models import Body, Domain
from apps.tenants.provisioning import body_provision, template_schema_name

pytestmark = pytest.mark.django_db


def _structure(schema: str) -> dict[str, list]:
    with connection.cursor() as c:
        c.execute(
            "SELECT table_name, column_name, data_type, is_nullable, is_identity, "
            "coalesce(character_maximum_length, 0) FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        columns = c.fetchall()
        c.execute(
            "SELECT con.conname, con.contype, replace(pg_get_constraintdef(con.oid), %s, '') "
            "FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace "
            "WHERE n.nspname = %s ORDER BY 1",
            [f"{schema}.", schema],
        )
        constraints = c.fetchall()
        c.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s ORDER BY 1", [schema])
        indexes = c.fetchall()
        c.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        migrations = c.fetchall()
    return {
        "columns": columns,
        "constraints": constraints,
        "indexes": indexes,
        "migrations": migrations,
    }


def test_a_provisioned_schema_is_an_exact_copy_of_the_template(portal) -> None:
    template = _structure(template_schema_name())
    copy = _structure(portal.bodies["ichinomiya"].schema_name)
    assert copy == template
    assert {t for t, *_ in copy["columns"]} == {
        "accounts_adviserengagement",
        "accounts_apitoken",
        "accounts_notice",
        "accounts_user",
        "approvals_applicationreview",
        "approvals_surveydraft",
        "approvals_surveydraftcomment",
        "django_migrations",
    }
    # the review table's foreign key points at the public schema's applications
    assert any(
        d.startswith("FOREIGN KEY (application_id) REFERENCES contracts_application(id)")
        for _, _, d in copy["constraints"]
    )
    # and the survey draft's at the public schema's surveys
    assert any(
        d.startswith("FOREIGN KEY (survey_id) REFERENCES surveys_survey(id)")
        for _, _, d in copy["constraints"]
    )
    assert len(copy["migrations"]) > 0


def test_provisioning_creates_schema_domain_and_is_idempotent(portal) -> None:
    # given a body without a schema
    body = Body.objects.get(code="232114")  # 豊田市
    assert body.provisioned_at is None
    assert not schema_exists(body.schema_name)
    # when
    first = body_provision(bodies=[body])
    second = body_provision(bodies=[Body.objects.get(code="232114")])
    # then
    assert first.provisioned == ["232114"]
    assert first.already == 0
    assert second.provisioned == []
    assert second.already == 1
    assert schema_exists("toyota")
    assert list(Domain.objects.filter(tenant=body).values_list("domain", flat=True)) == [
        "toyota.localhost"
    ]
    with schema_context("toyota"):
        User.objects.create_user("first", "pw-pw-pw-pw-1", full_name="x", role="body_staff")
        assert User.objects.count() == 1
    assert User.objects.filter(username="first").count() == 0  # not in the public schema


def _last_value(sequence: str) -> int:
    with connection.cursor() as c:
        c.execute(f"SELECT last_value FROM {sequence}")
        return c.fetchone()[0]


def test_identity_sequences_are_per_schema(portal) -> None:
    with connection.cursor() as c:
        c.execute(
            "SELECT pg_get_serial_sequence('ichinomiya.accounts_user', 'id'), "
            "pg_get_serial_sequence('toyohashi.accounts_user', 'id')"
        )
        assert c.fetchone() == ("ichinomiya.accounts_user_id_seq", "toyohashi.accounts_user_id_seq")
    toyohashi_before = _last_value("toyohashi.accounts_user_id_seq")
    with schema_context("ichinomiya"):
        a = User.objects.create_user("seq-a", "pw-pw-pw-pw-1", full_name="a", role="body_staff")
    assert _last_value("ichinomiya.accounts_user_id_seq") == a.pk
    assert _last_value("toyohashi.accounts_user_id_seq") == toyohashi_before


def test_only_schemas_missing_a_migration_are_stale(portal) -> None:
    from apps.tenants.management.commands.migrate_schemas import stale_schemas

    schemas = [template_schema_name(), "ichinomiya", "toyohashi"]
    assert stale_schemas(schemas) == []
    with connection.cursor() as c:
        c.execute("DELETE FROM toyohashi.django_migrations WHERE app = 'accounts'")
    assert stale_schemas(schemas) == ["toyohashi"]
