from __future__ import annotations

import django_filters

from apps.contracts.models import Application, ApplicationStatus, Contract, ContractStatus
from apps.core.filters import StaticFilterSet


class ApplicationFilter(StaticFilterSet):
    status = django_filters.ChoiceFilter(label="状態", choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields: list[str] = []


class ContractFilter(StaticFilterSet):
    status = django_filters.ChoiceFilter(label="状態", choices=ContractStatus.choices)

    class Meta:
        model = Contract
        fields: list[str] = []
