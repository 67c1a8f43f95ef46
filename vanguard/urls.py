from django.urls import path

from . import views

app_name = "vanguard"

urlpatterns = [
    path("", views.index, name="index"),
    path("pledge/", views.pledge_mine, name="pledge_mine"),
    path("card/<int:pk>/", views.card, name="card"),
    path("org/<int:org_pk>/pledges/", views.pledge_list, name="pledge_list"),
    path("org/<int:org_pk>/pledges/export/", views.pledges_export, name="pledges_export"),
    path("pledges/<int:pk>/approve/", views.pledge_approve, name="pledge_approve"),
    path("pledges/<int:pk>/return/", views.pledge_return, name="pledge_return"),
    path("org/<int:org_pk>/designations/", views.designation_list, name="designation_list"),
    path(
        "org/<int:org_pk>/designations/export/",
        views.designations_export,
        name="designations_export",
    ),
    path("org/<int:org_pk>/designations/new/", views.designation_create, name="designation_create"),
    path("designations/<int:pk>/edit/", views.designation_edit, name="designation_edit"),
    path("designations/<int:pk>/revoke/", views.designation_revoke, name="designation_revoke"),
    path("panel/person/<int:pk>/", views.person_panel, name="person_panel"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
]
