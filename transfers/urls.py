from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_pk>/", views.ledger, name="ledger"),
    path("org/<int:org_pk>/export/", views.ledger_export, name="export"),
    path("org/<int:org_pk>/new/", views.transfer_create, name="create"),
    path("org/<int:org_pk>/panel/", views.organisation_panel, name="organisation_panel"),
    path("person/<int:pk>/panel/", views.person_panel, name="person_panel"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/receive/", views.transfer_receive, name="receive"),
    path("<int:pk>/confirm/", views.transfer_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.transfer_cancel, name="cancel"),
]
