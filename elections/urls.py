from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_pk>/", views.index, name="organisation"),
]
