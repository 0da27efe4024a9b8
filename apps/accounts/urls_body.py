from django.urls import include, path

from apps.accounts import views

urlpatterns = [
    path("staff/", views.StaffView.as_view(), name="staff"),
    path("", include("apps.groups.urls")),
]
