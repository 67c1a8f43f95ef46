from django.urls import path

from . import views
from .imports import views as roster

app_name = "members"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export/", views.person_export, name="person_export"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    # The roster import (members/imports/).
    path("import/", roster.roster_import_upload, name="roster_import_upload"),
    path("import/template/", roster.roster_template, name="roster_template"),
    path("import/history/", roster.roster_import_list, name="roster_import_list"),
    path("import/<int:pk>/", roster.roster_import_detail, name="roster_import_detail"),
    path("import/<int:pk>/confirm/", roster.roster_import_confirm, name="roster_import_confirm"),
    path("import/<int:pk>/discard/", roster.roster_import_discard, name="roster_import_discard"),
]
