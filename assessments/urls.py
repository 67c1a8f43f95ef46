from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("org/<int:org_pk>/", views.assessment_detail, name="current"),
    path("org/<int:org_pk>/<int:year>/", views.assessment_detail, name="detail"),
    path("org/<int:org_pk>/<int:year>/scores/", views.scores_enter, name="scores_enter"),
    path("org/<int:org_pk>/<int:year>/submit/", views.assessment_submit, name="submit"),
    path("org/<int:org_pk>/panel/", views.branch_panel, name="branch_panel"),
    path("person/<int:pk>/stars/", views.member_stars, name="member_stars"),
    path("score/<int:pk>/attachment/", views.score_attachment, name="score_attachment"),
]
