"""Session fixtures: one test database (real PostgreSQL), the reference list imported once, a few
bodies provisioned once, and the users of every role, all committed so that a real HTTP server
thread, a real browser and a real Celery worker see them. Each test runs in a transaction that is
rolled back, so what a test writes never leaks into the next one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

PASSWORD = "correct-horse-battery-9"


def pytest_configure(config: Any) -> None:
    """PORTAL_TEST_TODAY=YYYY-MM-DD: run as if that were today (the clock keeps ticking from
    that morning, Asia/Tokyo), so the suite can be checked on the days a fiscal or calendar
    year turns. Started here, before test modules are imported, so that their FY is that day's.
    Processes the tests start (a Celery worker, gunicorn) keep the real clock: the CI step that
    moves the clock leaves out the tests marked worker and browser."""
    day = os.environ.get("PORTAL_TEST_TODAY")
    if day:
        import time_machine

        moment = dt.datetime.fromisoformat(day).replace(
            hour=9, tzinfo=dt.timezone(dt.timedelta(hours=9))
        )
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config._portal_clock = traveller


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Portal:
    bodies: dict[str, Any] = field(default_factory=dict)  # slug -> Body
    users: dict[str, Any] = field(default_factory=dict)  # name -> User (of its own schema)
    groups: dict[str, Any] = field(default_factory=dict)
    vendors: dict[str, Any] = field(default_factory=dict)

    def host(self, slug: str | None) -> str:
        return f"{slug}.{settings.BASE_DOMAIN}" if slug else settings.BASE_DOMAIN


@pytest.fixture(scope="session")
def django_db_setup(request: Any, django_test_environment: Any, django_db_blocker: Any) -> Any:
    """The test database, always: tests that need committed data (a server thread, a browser, a
    worker process) are not marked django_db, and pytest-django would otherwise set up a test
    database only when some collected test is. At the end, no stray session may block dropping
    it (a test run under Playwright's event loop gets a connection Django never closes)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session")
def portal(django_db_setup: Any, django_db_blocker: Any) -> Portal:
    from apps.accounts.models import Role
    from apps.accounts.services import user_create
    from apps.accounts.viewer import system_viewer
    from apps.core.domain.fiscal import fiscal_year_start
    from apps.groups.models import GroupKind
    from apps.groups.services import group_create, membership_add, secretariat_staff_add
    from apps.tenants.domain.reference import parse_reference_csv
    from apps.tenants.models import Body
    from apps.tenants.provisioning import body_provision
    from apps.tenants.services import body_import_reference
    from apps.vendors.services import vendor_create, vendor_staff_add
    from tests.clock import FY

    p = Portal()
    with django_db_blocker.unblock():
        # pytest-django sets up the test database only for tests marked django_db; never let
        # this fixture write to a developer's database.
        assert connection.settings_dict["NAME"].startswith("test_"), "mark the test django_db"
        csv_path = Path(settings.BASE_DIR) / "data" / "municipalities.csv"
        with csv_path.open(encoding="utf-8") as fh:
            body_import_reference(records=parse_reference_csv(fh))
        codes = {
            "ichinomiya": "232033",
            "toyohashi": "232017",
            "aichi-pref": "230006",
            "sapporo": "011002",
            "hokkaido-pref": "010006",
        }
        bodies = {slug: Body.objects.get(code=code) for slug, code in codes.items()}
        body_provision(bodies=[bodies["ichinomiya"], bodies["toyohashi"]])
        for slug in bodies:
            bodies[slug].refresh_from_db()
        p.bodies = bodies

        def body_user(slug: str, username: str, role: str) -> Any:
            with schema_context(bodies[slug].schema_name):
                return user_create(
                    viewer=system_viewer(),
                    username=username,
                    full_name=f"{slug} {role}",
                    role=role,
                    password=PASSWORD,
                )

        p.users["ichinomiya_admin"] = body_user("ichinomiya", "admin", Role.BODY_ADMIN)
        p.users["ichinomiya_staff"] = body_user("ichinomiya", "tanaka", Role.BODY_STAFF)
        p.users["toyohashi_admin"] = body_user("toyohashi", "admin", Role.BODY_ADMIN)
        p.users["toyohashi_staff"] = body_user("toyohashi", "suzuki", Role.BODY_STAFF)

        def public_user(username: str, role: str) -> Any:
            return user_create(
                viewer=system_viewer(),
                username=username,
                full_name=username,
                role=role,
                password=PASSWORD,
            )

        p.users["aichi_secretariat"] = public_user("aichi-sec", Role.SECRETARIAT)
        p.users["hokkaido_secretariat"] = public_user("hokkaido-sec", Role.SECRETARIAT)
        p.users["vendor_a"] = public_user("vendor-a", Role.VENDOR)
        p.users["vendor_b"] = public_user("vendor-b", Role.VENDOR)
        p.users["operator"] = public_user("operator", Role.OPERATOR)

        system = system_viewer()
        council = group_create(
            viewer=system,
            name="テスト電子自治体協議会",
            kind=GroupKind.COUNCIL,
            secretariat_code=bodies["aichi-pref"].code,
        )
        for slug in ("aichi-pref", "ichinomiya", "toyohashi"):
            membership_add(
                viewer=system,
                group_id=council.pk,
                body_code=bodies[slug].code,
                joined_on=fiscal_year_start(FY - 2),
            )
        hokkaido = group_create(
            viewer=system,
            name="テスト北海道研究会",
            kind=GroupKind.USAGE_GROUP,
            secretariat_code=bodies["hokkaido-pref"].code,
        )
        for slug in ("hokkaido-pref", "sapporo"):
            membership_add(
                viewer=system,
                group_id=hokkaido.pk,
                body_code=bodies[slug].code,
                joined_on=fiscal_year_start(FY - 2),
            )
        secretariat_staff_add(
            viewer=system, group_id=council.pk, user_id=p.users["aichi_secretariat"].pk
        )
        secretariat_staff_add(
            viewer=system, group_id=hokkaido.pk, user_id=p.users["hokkaido_secretariat"].pk
        )
        p.groups = {"council": council, "hokkaido": hokkaido}

        vendor_a = vendor_create(
            viewer=system,
            name="ベンダーA株式会社",
            corporate_number="4180001234567",
            invoice_registration_number="T4180001234567",
            contact_email="a@example.jp",
        )
        vendor_b = vendor_create(
            viewer=system,
            name="ベンダーB株式会社",
            corporate_number="8120009876543",
            invoice_registration_number="T8120009876543",
            contact_email="b@example.jp",
        )
        vendor_staff_add(viewer=system, vendor_id=vendor_a.pk, user_id=p.users["vendor_a"].pk)
        vendor_staff_add(viewer=system, vendor_id=vendor_b.pk, user_id=p.users["vendor_b"].pk)
        p.vendors = {"a": vendor_a, "b": vendor_b}
    return p


@pytest.fixture(autouse=True)
def _public_schema_after_each_test() -> Any:
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (the tests' own Redis database): what an earlier
    test cached came from rows its rollback has since removed."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def site_client(portal: Portal):  # type: ignore[no-untyped-def]
    """site_client(slug) -> a Client whose requests go to that body's address (None: public)."""

    def make(slug: str | None = None, user_key: str | None = None) -> Client:
        client = Client(HTTP_HOST=portal.host(slug))
        if user_key:
            schema = portal.bodies[slug].schema_name if slug else "public"
            with schema_context(schema):
                client.force_login(portal.users[user_key])
        return client

    return make


@pytest.fixture(scope="session")
def live_portal(portal: Portal, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    """A real HTTP server on 127.0.0.1 in a thread of this process, on the test database."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield thread
        thread.terminate()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "chromium is not installed: CI must run the browser tests (.ci/run installs "
                "it with apt-get)"
            )
        pytest.skip("chromium is not installed; `apt-get install chromium` to run browser tests")
    return CHROMIUM


def spawn_worker(
    log_path: Path, *, queue: str = "celery", env: dict[str, str] | None = None, pool: str = "solo"
):  # type: ignore[no-untyped-def]
    """Start a real `celery worker` process on the test database and the tests' Redis
    database, and wait until it answers a ping."""
    import subprocess
    import sys
    import time
    import uuid

    from config.celery import app

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        **(env or {}),
    }
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=2",
            "--prefetch-multiplier=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            name,
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
    return proc


def stop_worker(proc) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def celery_worker_process(portal: Portal, tmp_path_factory: Any):  # type: ignore[no-untyped-def]
    """A real worker on the default queue, for the whole session."""
    from config.celery import app

    app.control.purge()
    proc = spawn_worker(tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        yield proc
    finally:
        stop_worker(proc)


def spawn_gunicorn(log_path: Path, *, workers: int = 4, threads: int = 8):  # type: ignore[no-untyped-def]
    """A real gunicorn on 127.0.0.1 serving the test database (for load and concurrency tests
    that need more than the in-process test server's one connection per thread)."""
    import socket
    import subprocess
    import sys
    import time

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")


EXTRA_CONTRACTS = 120


@pytest.fixture
def committed_billing(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    """Billing data (see tests/invoicing/conftest.py) plus EXTRA_CONTRACTS usage contracts,
    committed for worker processes and the test server; everything is removed afterwards."""
    from apps.accounts.viewer import system_viewer
    from apps.catalog.models import FeeBand, FeeSchedule, Listing
    from apps.contracts.models import Application, Contract, ContractTerm
    from apps.contracts.services import contract_record_existing
    from apps.core.domain.fiscal import fiscal_year_start
    from apps.groups.models import JointService
    from apps.invoicing.models import BurdenShare, Invoice, InvoiceLine, InvoiceRun
    from apps.tenants.models import Body
    from tests.invoicing.conftest import FY, make_billing_data

    with django_db_blocker.unblock():
        data = make_billing_data(portal)
        bodies = list(Body.objects.exclude(code__in=["232017"]).order_by("code")[:EXTRA_CONTRACTS])
        for body in bodies:
            contract_record_existing(
                viewer=system_viewer(),
                listing_id=data["listing"].pk,
                body_code=body.code,
                plan="標準",
                start_month=fiscal_year_start(FY),
                fiscal_years=[FY],
                note="test",
            )
    expected = 3 + 1 + EXTRA_CONTRACTS  # burden invoices + usage invoices
    yield data, expected
    with django_db_blocker.unblock():
        InvoiceLine.objects.all().delete()
        Invoice.objects.all().delete()
        InvoiceRun.objects.all().delete()
        BurdenShare.objects.all().delete()
        ContractTerm.objects.all().delete()
        Contract.objects.all().delete()
        Application.objects.all().delete()
        FeeBand.objects.all().delete()
        FeeSchedule.objects.all().delete()
        Listing.objects.all().delete()
        JointService.objects.all().delete()


def band_fields(text: str) -> dict[str, str]:
    """The fee-band table's fields from lines of "lower upper fee" ("-" for no upper)."""
    fields = {}
    for n, line in enumerate(filter(None, text.splitlines()), start=1):
        lower, upper, fee = line.split()
        fields[f"band_{n}_lower"] = lower
        fields[f"band_{n}_upper"] = "" if upper == "-" else upper
        fields[f"band_{n}_fee"] = fee
    return fields


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every command sent to Redis, by name."""
    from redis.client import Redis

    sent: list[str] = []
    original = Redis.execute_command

    def counting(self: Redis, *args: Any, **options: Any) -> Any:
        sent.append(str(args[0]))
        return original(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counting)
    return sent
