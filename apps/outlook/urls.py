from django.urls import path

from apps.outlook import views

urlpatterns = [
    path("outlook/", views.outlook, name="outlook"),
    path("outlook.csv", views.outlook_csv, name="outlook-csv"),
    path("outlook/finance-staff/", views.finance_role, name="outlook-finance-role"),
    path("outlook/pdf/", views.outlook_pdf, name="outlook-pdf"),
    path("outlook/groups/", views.group_outlooks, name="group-outlooks"),
    path("outlook/groups/<id:group_id>/", views.group_outlook, name="group-outlook"),
]
