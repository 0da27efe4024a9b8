from django.urls import path

from apps.vendors import views

urlpatterns = [path("vendor/", views.vendor_profile, name="vendor-profile")]
