from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from apps.accounts.dashboard import tasks
from apps.accounts.forms import PortalLoginForm, StaffForm, TokenForm
from apps.accounts.selectors import staff_list
from apps.accounts.services import staff_create
from apps.accounts.tokens import (
    api_token_issue,
    api_token_list,
    api_token_revoke,
    api_tokens_revoke_all,
)
from apps.accounts.viewer import viewer_from_request
from apps.core.errors import ApplicationError
from apps.groups.selectors import group_list, membership_list_for_body
from apps.tenants.selectors import body_population
from apps.vendors.selectors import vendor_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out; the user's API tokens are revoked with the session."""

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        api_tokens_revoke_all(user=request.user)
        return super().post(request, *args, **kwargs)


class HomeView(TemplateView):
    """Each role's home: a body's groups and memberships; a secretariat's groups; a vendor's
    profile; the operator's entry to administration. Anonymous visitors see the welcome page."""

    def get_template_names(self) -> list[str]:
        viewer = viewer_from_request(self.request)
        if viewer.body is not None:
            return ["home/body.html"]
        if viewer.is_secretariat:
            return ["home/secretariat.html"]
        if viewer.is_vendor:
            return ["home/vendor.html"]
        if viewer.is_operator:
            return ["home/operator.html"]
        return ["home/public.html"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        viewer = viewer_from_request(request)
        if viewer.body is not None and not viewer.is_body_user:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        viewer = viewer_from_request(self.request)
        ctx["viewer"] = viewer
        ctx["tasks"] = tasks(viewer)
        if viewer.is_body_user:
            ctx["memberships"] = membership_list_for_body(viewer=viewer)
            ctx["population"] = body_population(body=viewer.body) if viewer.body else None
            ctx["notices"] = viewer.user.notices.all()[:10]
        elif viewer.is_secretariat or viewer.is_operator:
            ctx["groups"] = group_list(viewer=viewer)
        elif viewer.is_vendor:
            ctx["vendor"] = vendor_of(viewer=viewer)
        return ctx


class StaffView(LoginRequiredMixin, View):
    """The body's local administrator lists the body's staff and adds new ones."""

    template_name = "accounts/staff.html"

    def _guard(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        viewer = viewer_from_request(request)
        viewer.require_body_admin()
        return viewer

    def get(self, request: HttpRequest) -> HttpResponse:
        viewer = self._guard(request)
        return render(
            request, self.template_name, {"staff": staff_list(viewer=viewer), "form": StaffForm()}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        viewer = self._guard(request)
        form = StaffForm(request.POST)
        if form.is_valid():
            try:
                user = staff_create(viewer=viewer, **form.cleaned_data)
            except ApplicationError as exc:
                for field, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, f"{user.full_name}さんを追加しました。")
                return redirect("staff")
        return render(
            request,
            self.template_name,
            {"staff": staff_list(viewer=viewer), "form": form},
            status=400,
        )


def _tokens_page(
    request: HttpRequest, *, form: TokenForm | None = None, key: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": api_token_list(viewer=viewer_from_request(request)),
            "form": form or TokenForm(),
            "new_key": key,
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
        },
        status=status,
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: issue one (the key is shown once), see and revoke them."""
    if request.method != "POST":
        return _tokens_page(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form=form, status=400)
    _, key = api_token_issue(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    messages.success(request, "トークンを発行しました。キーはこの画面でだけ表示されます。")
    return _tokens_page(request, key=key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token_revoke(viewer=viewer_from_request(request), token_id=token_id)
    messages.success(request, "トークンを失効させました。")
    return redirect("accounts:tokens")
