from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.index, name="index"),
    path("records/<int:pk>/", views.candidacy_detail, name="candidacy_detail"),
    path("records/<int:pk>/<slug:step>/", views.candidacy_step, name="candidacy_step"),
    path("org/<int:org_pk>/", views.pipeline, name="pipeline"),
    path("org/<int:org_pk>/pipeline.xlsx", views.pipeline_export, name="pipeline_export"),
    path("org/<int:org_pk>/open/", views.candidacy_open, name="candidacy_open"),
    path("org/<int:org_pk>/figures/", views.figures, name="figures"),
    path("org/<int:org_pk>/mentoring/", views.mentoring_list, name="mentoring"),
    path("org/<int:org_pk>/mentoring.xlsx", views.mentoring_export, name="mentoring_export"),
    path("mentoring/<int:pk>/close/", views.mentor_pair_close, name="mentor_pair_close"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
    path("panel/person/<int:person_pk>/", views.person_panel, name="person_panel"),
    path("panel/overview/", views.overview_panel, name="overview_panel"),
]
