from django.urls import path

from . import views

app_name = "serviceteam"

urlpatterns = [
    path("", views.index, name="index"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/export/", views.log_export, name="log_export"),
    path("teams/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("places/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("teams/<int:pk>/records/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("board/", views.board, name="board"),
    path("board/export/", views.board_export, name="board_export"),
    path("board/template/", views.template_download, name="template_download"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("panel/overview/", views.overview_panel, name="overview_panel"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
    path("panel/person/<int:person_pk>/", views.person_panel, name="person_panel"),
]
