from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.download_list, name="download_list"),
    path("export/", views.download_export, name="download_export"),
    path("changes/", views.change_list, name="change_list"),
]
