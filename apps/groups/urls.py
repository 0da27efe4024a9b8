from django.urls import path

from apps.groups import views

urlpatterns = [
    path("groups/<int:group_id>/", views.group_detail, name="group-detail"),
    path("joint-services/", views.my_joint_services, name="my-joint-services"),
    path("joint-services/<int:service_id>/", views.joint_service, name="joint-service"),
]
