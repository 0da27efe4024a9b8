"""Output shapes shared by the catalogue's API views (and the contracts API)."""

from __future__ import annotations

from rest_framework import serializers

from apps.catalog.models import Category, FeeKind, ListingStatus, Pattern, TaxCategory
from apps.core.domain.bounds import MAX_POPULATION, MAX_YEN
from apps.core.serializers import PlainOutputSerializer


class ListingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    vendor_id = serializers.IntegerField()
    vendor_name = serializers.CharField(source="vendor.name")
    name = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    pattern = serializers.ChoiceField(choices=Pattern.choices)
    gov_cloud = serializers.BooleanField()
    lgwan = serializers.BooleanField()
    ismap = serializers.BooleanField()
    standard_conformant = serializers.BooleanField()
    sla = serializers.CharField()
    data_location = serializers.CharField()
    documents = serializers.JSONField()
    plans = serializers.JSONField()
    cancellation_notice_months = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ListingStatus.choices)


class BandIO(serializers.Serializer):
    lower = serializers.IntegerField(min_value=0, max_value=MAX_POPULATION)
    upper = serializers.IntegerField(
        min_value=1, max_value=MAX_POPULATION, allow_null=True, required=False, default=None
    )
    annual_fee_yen = serializers.IntegerField(min_value=0, max_value=MAX_YEN)


class FeeScheduleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    listing_id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    kind = serializers.ChoiceField(choices=FeeKind.choices)
    bands = BandIO(many=True)
    base_fee_yen = serializers.IntegerField()
    reference_population = serializers.IntegerField()
    doubling_factor = serializers.DecimalField(max_digits=6, decimal_places=4)
    initial_fee_yen = serializers.IntegerField()
    tax_category = serializers.ChoiceField(choices=TaxCategory.choices)
    joint_discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    joint_discount_min_bodies = serializers.IntegerField(allow_null=True)


class QuoteOutput(PlainOutputSerializer):
    listing_id = serializers.IntegerField(source="schedule.listing_id")
    fiscal_year = serializers.IntegerField(source="schedule.fiscal_year")
    fee_schedule_id = serializers.IntegerField(source="schedule.id")
    fee_schedule_version = serializers.IntegerField(source="schedule.version")
    population = serializers.IntegerField(source="figure.population")
    population_source = serializers.CharField(source="figure.source")
    population_reference_date = serializers.DateField(source="figure.reference_date")
    bodies_using = serializers.IntegerField()
    annual_exact = serializers.DecimalField(
        source="quote.annual_exact", max_digits=30, decimal_places=6
    )
    annual_fee_yen = serializers.IntegerField(source="quote.annual_yen")
    discount_applied = serializers.BooleanField(source="quote.discount_applied")
    initial_fee_yen = serializers.IntegerField(source="quote.initial_fee_yen")
    tax_rate = serializers.DecimalField(source="quote.tax_rate", max_digits=4, decimal_places=2)
    tax_yen = serializers.IntegerField(source="quote.tax_yen")
    total_yen = serializers.IntegerField(source="quote.total_yen")
    steps = serializers.ListField(source="quote.steps", child=serializers.CharField())
