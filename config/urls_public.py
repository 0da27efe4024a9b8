from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("config.urls_common")),
    path("", include("apps.groups.urls")),
    path("", include("apps.vendors.urls")),
]
