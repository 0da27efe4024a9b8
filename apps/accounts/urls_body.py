from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("staff/", views.StaffView.as_view(), name="staff"),
]
