from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import OnPublicSite
from apps.accounts.viewer import viewer_from_request
from apps.vendors.selectors import vendor_get
from apps.vendors.services import vendor_update_contact


class VendorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    corporate_number = serializers.CharField()
    invoice_registration_number = serializers.CharField()
    address = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.EmailField()
    contact_phone = serializers.CharField()


class VendorDetailApi(APIView):
    """A vendor's profile: its own staff read and update the contact details."""

    permission_classes = [OnPublicSite]

    class InputSerializer(serializers.Serializer):
        address = serializers.CharField(required=False, allow_blank=True, max_length=200)
        contact_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
        contact_email = serializers.EmailField(required=False, allow_blank=True)
        contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)

    @extend_schema(responses={200: VendorOutput})
    def get(self, request: Request, vendor_id: int) -> Response:
        self.check_auth(request)
        vendor = vendor_get(viewer=viewer_from_request(request), vendor_id=vendor_id)
        return Response(VendorOutput(vendor).data)

    @extend_schema(request=InputSerializer, responses={200: VendorOutput})
    def patch(self, request: Request, vendor_id: int) -> Response:
        self.check_auth(request)
        viewer = viewer_from_request(request)
        vendor_get(viewer=viewer, vendor_id=vendor_id)  # 404 before the body is read
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        vendor = vendor_update_contact(viewer=viewer, vendor_id=vendor_id, data=data.validated_data)
        return Response(VendorOutput(vendor).data)

    def check_auth(self, request: Request) -> None:
        if not request.user.is_authenticated:
            self.permission_denied(request)
