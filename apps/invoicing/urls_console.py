from django.urls import path

from apps.invoicing import views, views_bank

urlpatterns = [
    path("invoicing/runs/", views.runs, name="invoice-runs"),
    path("invoicing/issuer/", views_bank.issuer_profile, name="issuer-profile"),
    path("invoicing/bank/", views_bank.bank, name="bank"),
    path(
        "invoicing/bank/statements/<id:statement_id>/",
        views_bank.bank_statement,
        name="bank-statement",
    ),
    path(
        "invoicing/bank/credits/<id:credit_id>/assign/",
        views_bank.credit_assign_view,
        name="bank-credit-assign",
    ),
    path(
        "invoicing/bank/credits/<id:credit_id>/ignore/",
        views_bank.credit_ignore_view,
        name="bank-credit-ignore",
    ),
]
