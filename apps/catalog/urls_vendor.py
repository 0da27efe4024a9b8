from django.urls import path

from apps.catalog import views

urlpatterns = [
    path("vendor/listings/", views.vendor_listings, name="vendor-listings"),
    path("vendor/listings/<id:listing_id>/", views.vendor_listing, name="vendor-listing"),
    path(
        "vendor/listings/<id:listing_id>/save/",
        views.vendor_listing_save,
        name="vendor-listing-save",
    ),
    path(
        "vendor/listings/<id:listing_id>/publish/",
        views.vendor_listing_publish,
        name="vendor-listing-publish",
    ),
    path(
        "vendor/listings/<id:listing_id>/withdraw/",
        views.vendor_listing_withdraw,
        name="vendor-listing-withdraw",
    ),
    path(
        "vendor/listings/<id:listing_id>/schedules/",
        views.vendor_schedule_save,
        name="vendor-schedule-save",
    ),
    path(
        "vendor/listings/<id:listing_id>/schedules/<id:schedule_id>/publish/",
        views.vendor_schedule_publish,
        name="vendor-schedule-publish",
    ),
]
