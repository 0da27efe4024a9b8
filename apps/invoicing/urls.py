from django.urls import path

from apps.invoicing import views

urlpatterns = [
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/issue-all/", views.invoices_issue_all_view, name="invoices-issue-all"),
    path("invoices/export.csv", views.invoices_csv, name="invoices-csv"),
    path("invoices/<id:invoice_id>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<id:invoice_id>/issue/", views.invoice_issue_view, name="invoice-issue"),
    path("invoices/<id:invoice_id>/credit/", views.invoice_credit_view, name="invoice-credit"),
    path("invoices/<id:invoice_id>/payments/", views.payment_add, name="invoice-payment"),
    path(
        "invoices/<id:invoice_id>/payments/<id:payment_id>/reverse/",
        views.payment_reverse_view,
        name="invoice-payment-reverse",
    ),
    path("invoices/<id:invoice_id>/pdf/", views.invoice_pdf_view, name="invoice-pdf"),
    path("invoices/<id:invoice_id>/lines/<id:line_id>/why/", views.line_why, name="line-why"),
]
