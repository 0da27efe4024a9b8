"""URLs served on both the public site and every body's site; each view decides what it shows
for the site it is on, and the API views refuse with 404 on the wrong site."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from apps.accounts import views as account_views
from apps.core import views as core_views

urlpatterns = [
    path("", account_views.HomeView.as_view(), name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accounts/", include("apps.accounts.urls")),
    path(
        "api/schema/", SpectacularAPIView.as_view(urlconf="config.urls_api_root"), name="api-schema"
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("config.urls_api")),
    path("", include("apps.catalog.urls")),
    path("", include("apps.contracts.urls")),
    path("", include("apps.groups.urls")),
    path("", include("apps.invoicing.urls")),
    path("", include("apps.training.urls")),
    path("", include("apps.surveys.urls")),
    path("", include("apps.outlook.urls")),
]
