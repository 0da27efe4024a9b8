"""An issuer's details printed on its invoices (所在地, 代表者, 振込先)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.viewer import Viewer
from apps.core.schemas import current_schema
from apps.core.services import audit_record
from apps.invoicing.domain.banks import account_number, branch_of, holder_kana
from apps.invoicing.models import IssuerProfile
from apps.invoicing.selectors import issuer_check


@transaction.atomic
def issuer_profile_save(*, viewer: Viewer, issuer_key: str, data: dict[str, Any]) -> IssuerProfile:
    """Create or replace the issuer's profile. Issued invoices keep the details they were
    issued with; the next issue takes these."""
    issuer_check(viewer=viewer, issuer_key=issuer_key)
    branch = branch_of(data["bank_code"], data["branch_code"])
    values = {
        "postal_code": data["postal_code"],
        "address": data["address"],
        "representative": data["representative"],
        "contact": data.get("contact", ""),
        "bank_code": branch.bank_code,
        "bank_name": branch.bank_name,
        "branch_code": branch.branch_code,
        "branch_name": branch.branch_name,
        "account_type": data["account_type"],
        "account_number": account_number(data["account_number"]),
        "account_holder_kana": holder_kana(data["account_holder_kana"]),
        "updated_by": f"{current_schema()}:{viewer.user.pk}",
    }
    profile, _ = IssuerProfile.objects.update_or_create(issuer_key=issuer_key, defaults=values)
    audit_record(
        actor=viewer.user,
        action="issuer_profile.saved",
        target=profile,
        data={k: v for k, v in values.items() if k != "updated_by"},
    )
    return profile
