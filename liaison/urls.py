from django.urls import path

from . import views

app_name = "liaison"
urlpatterns = [
    path("visits/", views.my_visits, name="my_visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/review/", views.visit_review, name="visit_review"),
    path("problems/mine/", views.my_problems, name="my_problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<str:action>/", views.problem_move, name="problem_move"),
    path("opinions/<int:opinion_pk>/register/", views.problem_register,
         name="problem_register"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("handbook/<int:person_pk>/", views.handbook, name="handbook"),
    path("org/<int:org_pk>/visits/", views.visit_review_list, name="visit_review_list"),
    path("org/<int:org_pk>/visits.xlsx", views.visits_export, name="visits_export"),
    path("org/<int:org_pk>/opinions/", views.opinion_list, name="opinion_list"),
    path("org/<int:org_pk>/opinions.xlsx", views.opinions_export, name="opinions_export"),
    path("org/<int:org_pk>/campaigns/", views.campaign_list, name="campaign_list"),
    path("org/<int:org_pk>/campaigns.xlsx", views.campaigns_export, name="campaigns_export"),
    path("org/<int:org_pk>/problems/", views.problem_list, name="problem_list"),
    path("org/<int:org_pk>/problems.xlsx", views.problems_export, name="problems_export"),
    path("org/<int:org_pk>/figures/", views.figures, name="figures"),
    path("panel/mine/", views.member_panel, name="member_panel"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
]
