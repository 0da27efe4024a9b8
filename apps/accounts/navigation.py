"""The main menu of each role, and which entry is the current page (aria-current)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    href: str
    current: bool = False


def _entries(request: HttpRequest) -> tuple[tuple[str, str], ...]:
    user = getattr(request, "user", None)  # absent on a 404 the tenant middleware raises
    signed_in = user is not None and user.is_authenticated
    return _menu_of(
        get_urlconf(),
        get_script_prefix(),
        get_language(),
        getattr(request, "tenant", None) is not None,
        getattr(user, "role", "") if signed_in else None,
        bool(getattr(user, "finance_role", False)) if signed_in else False,
    )


@lru_cache(maxsize=64)
def _menu_of(
    urlconf: str | None,
    prefix: str,
    language: str | None,
    body: bool,
    role: str | None,
    finance_role: bool,
) -> tuple[tuple[str, str], ...]:
    """The menu of a role at a kind of site: the same labels and addresses every time for the
    same URLconf, script prefix and language, so worked out once (reverse() on every page was
    a tenth of the catalogue page). role None: not logged in."""
    if role is None:
        return () if body else ((_("サービス一覧"), reverse("catalog")),)
    entries = [(_("ホーム"), reverse("home"))]
    if body:
        entries += [
            (_("サービスを探す"), reverse("catalog")),
            (_("申込"), reverse("applications")),
            (_("契約"), reverse("contracts")),
            (_("共同運営"), reverse("my-joint-services")),
            (_("ニーズ調査"), reverse("surveys")),
            (_("請求書"), reverse("invoices")),
            (_("研修"), reverse("training")),
        ]
        if role == "body_admin" or finance_role:
            entries.insert(-1, (_("予算の見通し"), reverse("outlook")))
        if role == "body_admin":
            entries += [(_("職員管理"), reverse("staff")), (_("外部人材"), reverse("advisers"))]
    elif role == "vendor":
        entries += [
            (_("掲載サービス"), reverse("vendor-listings")),
            (_("募集"), reverse("service-calls")),
            (_("申込"), reverse("applications")),
            (_("契約"), reverse("contracts")),
            (_("請求書"), reverse("invoices")),
            (_("入金消込"), reverse("bank")),
            (_("振込先"), reverse("issuer-profile")),
            (_("事業者情報"), reverse("vendor-profile")),
        ]
    elif role == "secretariat":
        entries += [
            (_("ニーズ調査"), reverse("surveys")),
            (_("予算の見通し"), reverse("group-outlooks")),
            (_("請求データ作成"), reverse("invoice-runs")),
            (_("請求書"), reverse("invoices")),
            (_("未収金"), reverse("invoices") + "?payment=overdue"),
            (_("入金消込"), reverse("bank")),
            (_("振込先"), reverse("issuer-profile")),
            (_("研修"), reverse("training")),
        ]
    elif role == "operator":
        entries.append((_("管理画面"), reverse("admin:index")))
    entries.append(("API", reverse("api-docs")))
    return tuple(entries)


def _specificity(href: str, request: HttpRequest) -> tuple[int, int] | None:
    """How closely an entry matches the page (None: not at all): a longer path, then a query
    the page also has, wins; "/" matches only itself."""
    parts = urlsplit(href)
    path = parts.path
    if not (request.path == path or (path != "/" and request.path.startswith(path))):
        return None
    wanted = parse_qsl(parts.query)
    if any(request.GET.get(k) != v for k, v in wanted):
        return None
    return len(path), len(wanted)


def menu_html(request: HttpRequest) -> SafeString:
    """The menu's links, as the layout shows them (built here: a template loop over the
    entries was a tenth of the catalogue page)."""
    return format_html_join(
        "",
        '<a href="{}"{}>{}</a>',
        (
            (item.href, mark_safe(' aria-current="page"') if item.current else "", item.label)  # noqa: S308
            for item in menu(request)
        ),
    )


def menu(request: HttpRequest) -> list[MenuItem]:
    entries = _entries(request)
    scores = [_specificity(href, request) for _label, href in entries]
    best = max((s for s in scores if s is not None), default=None)
    return [
        MenuItem(label, href, current=best is not None and score == best)
        for (label, href), score in zip(entries, scores, strict=True)
    ]
