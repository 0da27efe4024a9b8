from __future__ import annotations

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.viewer import refusal, viewer_from_request
from apps.core.errors import ApplicationError
from apps.core.forms import ControlCharactersRefused
from apps.vendors.models import Vendor
from apps.vendors.selectors import vendor_of
from apps.vendors.services import CONTACT_FIELDS, vendor_update_contact


class ContactForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = Vendor
        fields = list(CONTACT_FIELDS)


@login_required
def vendor_profile(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    vendor = vendor_of(viewer=viewer)
    if vendor is None:
        raise refusal("vendor")
    # (a copy: a refused form must not change the profile shown beside it)
    form = ContactForm(request.POST or None, instance=copy.copy(vendor))
    if request.method == "POST" and form.is_valid():
        try:
            vendor_update_contact(
                viewer=viewer,
                vendor_id=vendor.pk,
                data={k: form.cleaned_data[k] for k in CONTACT_FIELDS},
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "連絡先を更新しました。")
            return redirect("vendor-profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "vendors/profile.html", {"vendor": vendor, "form": form}, status=status)
