"""Listings' search text now carries the names of their category, pattern and compliance marks
(so "LGWAN", "ISMAP" or "共通化B" in a query finds them): recompute it for every listing."""

from django.db import migrations

from apps.catalog.domain.text import listing_search_text

FLAGS = ("gov_cloud", "lgwan", "ismap", "standard_conformant")


def recompute(apps, schema_editor):  # type: ignore[no-untyped-def]
    Listing = apps.get_model("catalog", "Listing")
    meta = Listing._meta
    categories = dict(meta.get_field("category").choices)
    patterns = dict(meta.get_field("pattern").choices)
    for listing in Listing.objects.select_related("vendor").iterator(chunk_size=500):
        labels = [
            str(categories.get(listing.category, "")),
            str(patterns.get(listing.pattern, "")),
            *(str(meta.get_field(f).verbose_name) for f in FLAGS if getattr(listing, f)),
        ]
        listing.search_text = listing_search_text(
            name=listing.name,
            summary=listing.summary,
            description=listing.description,
            vendor=listing.vendor.name,
            labels=labels,
        )
        listing.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_fee_schedule_term_bounds")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
