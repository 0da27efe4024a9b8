from django.urls import path

from apps.invoicing import views

urlpatterns = [
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/export.csv", views.invoices_csv, name="invoices-csv"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf_view, name="invoice-pdf"),
    path("invoices/<int:invoice_id>/lines/<int:line_id>/why/", views.line_why, name="line-why"),
]
