from django.urls import path

from apps.contracts import views

urlpatterns = [
    path("applications/", views.applications, name="applications"),
    path("applications/<id:application_id>/", views.application_detail, name="application-detail"),
    path(
        "applications/<id:application_id>/comment/",
        views.application_comment,
        name="application-comment",
    ),
    path(
        "applications/<id:application_id>/approve/",
        views.application_approve,
        name="application-approve",
    ),
    path(
        "applications/<id:application_id>/reject/",
        views.application_reject,
        name="application-reject",
    ),
    path(
        "applications/<id:application_id>/withdraw/",
        views.application_withdraw_view,
        name="application-withdraw",
    ),
    path(
        "applications/<id:application_id>/accept/",
        views.application_accept_view,
        name="application-accept",
    ),
    path(
        "applications/<id:application_id>/decline/",
        views.application_decline_view,
        name="application-decline",
    ),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/<id:contract_id>/", views.contract_detail, name="contract-detail"),
    path("contracts/<id:contract_id>/renew/", views.contract_renew_view, name="contract-renew"),
    path("contracts/<id:contract_id>/cancel/", views.contract_cancel_view, name="contract-cancel"),
]
