"""Pages of the issuer's back office: its details printed on invoices (所在地・代表者・振込先)
and bank reconciliation (明細の取込、未照合の入金の割当て)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.viewer import Viewer, viewer_from_request
from apps.core.errors import NotFound
from apps.core.views import page_number, submit
from apps.invoicing.forms import (
    CreditAssignForm,
    CreditIgnoreForm,
    IssuerProfileForm,
    StatementUploadForm,
)
from apps.invoicing.models import CreditStatus
from apps.invoicing.selectors import (
    credit_candidates,
    credit_list,
    issuer_choices,
    issuer_profile_get,
    statement_get,
    statement_list,
)
from apps.invoicing.services.issuers import issuer_profile_save
from apps.invoicing.services.reconciliation import credit_assign, credit_ignore, statement_import


class IssuerChoiceForm(forms.Form):
    issuer = forms.ChoiceField(label="請求者", required=False)

    def __init__(self, *args: Any, issuers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [("", "すべて"), *issuers]  # type: ignore[attr-defined]


def _issuers(request: HttpRequest) -> tuple[Viewer, list[tuple[str, str]]]:
    viewer = viewer_from_request(request)
    viewer.require_issuer()
    issuers = issuer_choices(viewer=viewer)
    if not issuers:
        raise NotFound("担当している協議会・事業者がありません。", "issuer_not_found")
    return viewer, issuers


def _chosen_issuer(request: HttpRequest, issuers: list[tuple[str, str]]) -> str:
    form = IssuerChoiceForm(request.GET, issuers=issuers)
    if not form.is_valid():
        raise NotFound("この請求者は見つからないか、担当していません。", "issuer_not_found")
    return form.cleaned_data["issuer"] or issuers[0][0]


@login_required
def issuer_profile(request: HttpRequest) -> HttpResponse:
    viewer, issuers = _issuers(request)
    key = _chosen_issuer(request, issuers)
    profile = issuer_profile_get(viewer=viewer, issuer_key=key)
    status = 200
    if request.method == "POST":
        form = IssuerProfileForm(request.POST)
        saved = submit(
            request,
            form,
            lambda d: issuer_profile_save(viewer=viewer, issuer_key=key, data=d),
            success="請求者情報を保存しました。これから発行する請求書に印字されます。",
        )
        if saved is not None:
            return redirect(f"{reverse('issuer-profile')}?issuer={key}")
        status = 400
    else:
        initial = {f: getattr(profile, f) for f in IssuerProfileForm.base_fields} if profile else {}
        form = IssuerProfileForm(initial=initial)
    return render(
        request,
        "invoicing/issuer_profile.html",
        {
            "form": form,
            "issuers": issuers,
            "issuer": key,
            "issuer_name": dict(issuers)[key],
            "profile": profile,
        },
        status=status,
    )


def _bank_page(
    request: HttpRequest,
    viewer: Viewer,
    issuers: list[tuple[str, str]],
    *,
    upload: StatementUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    unmatched = Paginator(credit_list(viewer=viewer, status=CreditStatus.UNMATCHED), 50).get_page(
        page_number(request)
    )
    candidates = credit_candidates(credits=unmatched)
    for credit in unmatched:
        credit.candidates = candidates[credit.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "invoicing/bank.html",
        {
            "upload": upload or StatementUploadForm(issuers=issuers),
            "statements": statement_list(viewer=viewer)[:20],
            "unmatched": unmatched,
            "issuer_names": dict(issuers),
        },
        status=status,
    )


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    viewer, issuers = _issuers(request)
    if request.method != "POST":
        return _bank_page(request, viewer, issuers)
    form = StatementUploadForm(request.POST, request.FILES, issuers=issuers)
    statement = submit(
        request,
        form,
        lambda d: statement_import(
            viewer=viewer,
            issuer_key=d["issuer"],
            filename=d["file"].name,
            content=d["file"].read(),
            format=d["format"] or None,
        ),
        success="明細を取り込みました。",
    )
    if statement is None:
        return _bank_page(request, viewer, issuers, upload=form, status=400)
    return redirect("bank-statement", statement.pk)


@login_required
def bank_statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    viewer, issuers = _issuers(request)
    statement = statement_get(viewer=viewer, statement_id=statement_id)
    items = statement.items.select_related("invoice").order_by("line_no")
    return render(
        request,
        "invoicing/bank_statement.html",
        {
            "statement": statement,
            "items": Paginator(items, 100).get_page(page_number(request)),
            "unmatched": items.filter(status=CreditStatus.UNMATCHED).count(),
            "issuer_name": dict(issuers).get(statement.issuer_key, ""),
        },
    )


def _credit_action(request: HttpRequest, credit_id: int, form: forms.Form, action: Any) -> None:
    viewer, _ = _issuers(request)
    done = submit(
        request,
        form,
        lambda d: action(viewer=viewer, credit_id=credit_id, **d),
        success="入金明細を処理しました。",
    )
    if done is None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
@require_POST
def credit_assign_view(request: HttpRequest, credit_id: int) -> HttpResponse:
    _credit_action(request, credit_id, CreditAssignForm(request.POST), credit_assign)
    return redirect("bank")


@login_required
@require_POST
def credit_ignore_view(request: HttpRequest, credit_id: int) -> HttpResponse:
    _credit_action(request, credit_id, CreditIgnoreForm(request.POST), credit_ignore)
    return redirect("bank")
