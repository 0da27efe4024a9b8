from __future__ import annotations

import django_filters

from apps.contracts.models import Application, ApplicationStatus, Contract, ContractStatus


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状態", choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields: list[str] = []


class ContractFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状態", choices=ContractStatus.choices)

    class Meta:
        model = Contract
        fields: list[str] = []
