from django.urls import path

from apps.groups import views

urlpatterns = [path("groups/<int:group_id>/", views.group_detail, name="group-detail")]
