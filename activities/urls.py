from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.activities_export, name="activities_export"),
    path("org/<int:org_pk>/new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export/", views.projects_export, name="projects_export"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/progress/", views.progress_create, name="progress_create"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/export/", views.documents_export, name="documents_export"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("documents/<int:pk>/v<int:number>/", views.version_download, name="version_download"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
    path("panel/person/<int:pk>/", views.person_panel, name="person_panel"),
]
