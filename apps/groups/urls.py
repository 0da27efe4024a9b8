from django.urls import path

from apps.groups import views

urlpatterns = [
    path("groups/<id:group_id>/", views.group_detail, name="group-detail"),
    path(
        "groups/<id:group_id>/joint-services/",
        views.joint_service_add,
        name="joint-service-add",
    ),
    path("joint-services/", views.my_joint_services, name="my-joint-services"),
    path("joint-services/<id:service_id>/", views.joint_service, name="joint-service"),
    path(
        "joint-services/<id:service_id>/year/",
        views.joint_service_year,
        name="joint-service-year",
    ),
]
