from django.urls import include, path

urlpatterns = [
    path("", include("config.urls_common")),
    path("", include("apps.accounts.urls_body")),
]
