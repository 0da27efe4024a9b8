from django.urls import path

from apps.catalog import views

urlpatterns = [
    path("catalog/", views.catalog_search, name="catalog"),
    path("catalog/compare/", views.catalog_compare, name="catalog-compare"),
    path("catalog/<id:listing_id>/", views.listing_detail, name="listing-detail"),
    path("catalog/<id:listing_id>/apply/", views.listing_apply, name="listing-apply"),
]
