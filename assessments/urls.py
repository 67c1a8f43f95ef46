from django.urls import path

from . import views, views_appraisal

app_name = "assessments"
urlpatterns = [
    path("org/<int:org_pk>/", views.assessment_detail, name="current"),
    path("org/<int:org_pk>/<int:year>/", views.assessment_detail, name="detail"),
    path("org/<int:org_pk>/<int:year>/scores/", views.scores_enter, name="scores_enter"),
    path("org/<int:org_pk>/<int:year>/submit/", views.assessment_submit, name="submit"),
    path("org/<int:org_pk>/panel/", views.branch_panel, name="branch_panel"),
    path("org/<int:org_pk>/<int:year>/appraisal/", views_appraisal.branch_appraisal,
         name="branch_appraisal"),
    path("org/<int:org_pk>/<int:year>/appraisal/export/",
         views_appraisal.branch_appraisal_export, name="branch_appraisal_export"),
    path("org/<int:org_pk>/<int:year>/appraisal/open/", views_appraisal.branch_appraisal_open,
         name="branch_appraisal_open"),
    path("org/<int:org_pk>/<int:year>/appraisal/grades/",
         views_appraisal.branch_appraisal_grades, name="branch_appraisal_grades"),
    path("org/<int:org_pk>/<int:year>/appraisal/decide/",
         views_appraisal.branch_appraisal_decide, name="branch_appraisal_decide"),
    path("appraisal/", views_appraisal.my_appraisal, name="my_appraisal_current"),
    path("appraisal/<int:year>/", views_appraisal.my_appraisal, name="my_appraisal"),
    path("appraisal/<int:year>/vote/", views_appraisal.my_appraisal_vote,
         name="my_appraisal_vote"),
    path("appraisal/<int:year>/tally/", views_appraisal.appraisal_tally, name="appraisal_tally"),
    path("appraisal/<int:year>/tally/export/", views_appraisal.appraisal_tally_export,
         name="appraisal_tally_export"),
    path("person/<int:pk>/stars/", views.member_stars, name="member_stars"),
    path("score/<int:pk>/attachment/", views.score_attachment, name="score_attachment"),
]
