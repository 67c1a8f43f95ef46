from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.index, name="index"),
    path("terms/<int:org_pk>/", views.terms, name="terms"),
    path("terms/<int:org_pk>/export/", views.terms_export, name="terms_export"),
    path("org/<int:org_pk>/", views.organisation, name="organisation"),
    path("org/<int:org_pk>/term/", views.term_create, name="term_create"),
    path("org/<int:org_pk>/panel/", views.organisation_panel, name="organisation_panel"),
    path("org/<int:org_pk>/new/", views.election_create, name="election_create"),
    path("overview-panel/", views.overview_panel, name="overview_panel"),
    path("<int:pk>/", views.election_detail, name="election_detail"),
    path("<int:pk>/edit/", views.election_edit, name="election_edit"),
    path("<int:pk>/candidates/", views.election_candidate_add, name="candidate_add"),
    path(
        "<int:pk>/candidates/<int:candidate_pk>/remove/",
        views.election_candidate_remove,
        name="candidate_remove",
    ),
    path("<int:pk>/approve/", views.election_approve, name="approve"),
    path("<int:pk>/vote/", views.election_vote, name="vote"),
    path("<int:pk>/confirm/", views.election_confirm, name="confirm"),
]
