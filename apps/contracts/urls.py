from django.urls import path

from apps.contracts import views

urlpatterns = [
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application-detail"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="contract-detail"),
]
