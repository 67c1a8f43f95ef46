from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_pk>/", views.dashboard, name="dashboard"),
    path("org/<int:org_pk>/segments/", views.segments, name="segments"),
    path("person/<int:person_pk>/", views.person, name="person"),
]
