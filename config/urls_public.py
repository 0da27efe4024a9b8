from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("config.urls_common")),
    path("", include("apps.vendors.urls")),
    path("", include("apps.catalog.urls_vendor")),
    path("", include("apps.invoicing.urls_console")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
