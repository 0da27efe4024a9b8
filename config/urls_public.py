from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("config.urls_common")),
    path("", include("apps.vendors.urls")),
    path("", include("apps.catalog.urls_vendor")),
    path("", include("apps.invoicing.urls_console")),
]
