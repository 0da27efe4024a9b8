from django.urls import path

from apps.training import views

urlpatterns = [
    path("training/", views.training_home, name="training"),
    path("training/apply/", views.seat_apply_view, name="training-apply"),
    path("training/roles/", views.training_role_view, name="training-role"),
    path("training/programmes/", views.programme_add, name="training-programme-add"),
    path("training/sessions/", views.session_add, name="training-session-add"),
    path("training/seats/", views.seats, name="training-seats"),
    path("training/seats/<id:seat_id>/cancel/", views.seat_cancel_view, name="training-cancel"),
    path("training/seats/<id:seat_id>/approve/", views.seat_approve_view, name="training-approve"),
    path("training/seats/<id:seat_id>/reject/", views.seat_reject_view, name="training-reject"),
    path("training/sessions/<id:session_id>/roster/", views.roster, name="training-roster"),
    path(
        "training/sessions/<id:session_id>/roster/<id:seat_id>/attendance/",
        views.attendance,
        name="training-attendance",
    ),
    path("training/roster.csv", views.roster_csv, name="training-roster-csv"),
    path(
        "training/seats/<id:seat_id>/certificate/", views.certificate, name="training-certificate"
    ),
    path("advisers/", views.advisers, name="advisers"),
]
