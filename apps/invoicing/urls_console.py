from django.urls import path

from apps.invoicing import views

urlpatterns = [path("invoicing/runs/", views.runs, name="invoice-runs")]
