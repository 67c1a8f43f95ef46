from django.urls import path

from . import views

app_name = "study"

urlpatterns = [
    path("", views.index, name="index"),
    path("unread/", views.unread, name="unread"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("materials/<int:pk>/read/", views.material_read, name="material_read"),
    path("materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("materials/<int:pk>/quiz/", views.quiz_start, name="quiz_start"),
    path("materials/<int:pk>/assign/", views.material_assign, name="material_assign"),
    path("quiz/<uuid:token>/", views.attempt, name="attempt"),
    path("credits/", views.my_credits, name="my_credits"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("manage/", views.material_list, name="material_list"),
    path("manage/export/", views.materials_export, name="materials_export"),
    path("manage/new/", views.material_create, name="material_create"),
    path("orgs/<int:org_pk>/completion/", views.completion, name="completion"),
    path("orgs/<int:org_pk>/completion/export/", views.completion_export, name="completion_export"),
    path("panels/person/<int:pk>/", views.person_panel, name="person_panel"),
    path("panels/organisation/<int:pk>/", views.organisation_panel, name="organisation_panel"),
    path("panels/overview/", views.overview_panel, name="overview_panel"),
]
