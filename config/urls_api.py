from django.urls import path

from apps.accounts import apis as account_apis
from apps.groups import apis as group_apis
from apps.tenants import apis as tenant_apis
from apps.vendors import apis as vendor_apis

urlpatterns = [
    path("auth/token/", account_apis.TokenObtainApi.as_view(), name="api-token"),
    path("me/", account_apis.MeApi.as_view(), name="api-me"),
    path("staff/", account_apis.StaffListCreateApi.as_view(), name="api-staff"),
    path("bodies/", tenant_apis.BodyListApi.as_view(), name="api-bodies"),
    path("bodies/<str:code>/", tenant_apis.BodyDetailApi.as_view(), name="api-body"),
    path("groups/", group_apis.GroupListApi.as_view(), name="api-groups"),
    path("groups/<int:group_id>/", group_apis.GroupDetailApi.as_view(), name="api-group"),
    path("vendors/<int:vendor_id>/", vendor_apis.VendorDetailApi.as_view(), name="api-vendor"),
]
