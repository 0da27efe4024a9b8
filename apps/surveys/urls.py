from django.urls import path

from apps.surveys import views

urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/open/", views.survey_open, name="survey-open"),
    path("surveys/<id:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/<id:survey_id>/deadline/", views.survey_deadline, name="survey-deadline"),
    path("surveys/<id:survey_id>/options/", views.survey_option, name="survey-option"),
    path("surveys/<id:survey_id>/decision/", views.survey_decide, name="survey-decide"),
    path("surveys/<id:survey_id>/reminders/", views.survey_remind, name="survey-remind"),
    path("surveys/<id:survey_id>/answers.csv", views.survey_answers_csv, name="survey-csv"),
    path("surveys/<id:survey_id>/draft/", views.survey_draft, name="survey-draft"),
    path("surveys/<id:survey_id>/comments/", views.survey_comment, name="survey-comment"),
    path(
        "survey-invitations/<id:invitation_id>/",
        views.invitation_answer,
        name="survey-invitation",
    ),
    path("calls/", views.call_list, name="service-calls"),
    path("calls/<id:call_id>/respond/", views.call_respond, name="call-respond"),
]
