from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("orgs/<int:org_pk>/ledger/", views.ledger, name="ledger"),
    path("orgs/<int:org_pk>/ledger/export/", views.ledger_export, name="ledger_export"),
    path("orgs/<int:org_pk>/ledger/pay-all/", views.pay_all, name="pay_all"),
    path("orgs/<int:org_pk>/arrears/", views.arrears, name="arrears"),
    path("orgs/<int:org_pk>/arrears/export/", views.arrears_export, name="arrears_export"),
    path("orgs/<int:org_pk>/totals/", views.totals, name="totals"),
    path("orgs/<int:org_pk>/totals/export/", views.totals_export, name="totals_export"),
    path("people/<int:person_pk>/", views.member, name="member"),
    path("people/<int:person_pk>/declare/", views.declare, name="declare"),
    path("people/<int:person_pk>/pay/", views.payment_create, name="payment_create"),
    path("entries/<int:pk>/correct/", views.payment_correct, name="payment_correct"),
    path("panel/person/<int:person_pk>/", views.person_panel, name="person_panel"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
    path("panel/overview/", views.overview_panel, name="overview_panel"),
]
