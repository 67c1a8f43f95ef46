from django.urls import path

from . import views

app_name = "serviceteam"

urlpatterns = [
    path("", views.index, name="index"),
]
