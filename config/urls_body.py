from django.urls import include, path

urlpatterns = [
    path("", include("config.urls_common")),
    path("", include("apps.accounts.urls_body")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
