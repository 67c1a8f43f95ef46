from django.urls import path

from . import views

app_name = "branches"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("export.xlsx", views.organisation_export, name="organisation_export"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("supply-chain/", views.supply_chain, name="supply_chain"),
]
