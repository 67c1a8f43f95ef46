from django.urls import path

from . import views

app_name = "vanguard"

urlpatterns = [
    path("", views.index, name="index"),
]
