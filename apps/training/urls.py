from django.urls import path

from apps.training import views

urlpatterns = [
    path("training/", views.training_home, name="training"),
    path("training/seats/", views.seats, name="training-seats"),
    path("training/sessions/<int:session_id>/roster/", views.roster, name="training-roster"),
    path("training/roster.csv", views.roster_csv, name="training-roster-csv"),
    path(
        "training/seats/<int:seat_id>/certificate/", views.certificate, name="training-certificate"
    ),
    path("advisers/", views.advisers, name="advisers"),
]
