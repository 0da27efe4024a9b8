"""The whole API under its real prefix, for the OpenAPI schema (both sites share one API)."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("config.urls_api"))]
