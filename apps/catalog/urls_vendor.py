from django.urls import path

from apps.catalog import views

urlpatterns = [
    path("vendor/listings/", views.vendor_listings, name="vendor-listings"),
    path("vendor/listings/<int:listing_id>/", views.vendor_listing, name="vendor-listing"),
]
