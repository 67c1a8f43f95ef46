from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_pk>/", views.sent_list, name="sent_list"),
    path("org/<int:org_pk>/export/", views.sent_export, name="sent_export"),
    path("org/<int:org_pk>/new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/publish/", views.notice_publish, name="publish"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.notice_delete, name="delete"),
    path("<int:pk>/receipts/", views.receipt_report, name="receipts"),
    path("<int:pk>/receipts/unread.xlsx", views.unread_export, name="unread_export"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("panel/person/<int:pk>/", views.person_panel, name="person_panel"),
    path("panel/org/<int:org_pk>/", views.organisation_panel, name="organisation_panel"),
    path("panel/overview/", views.overview_panel, name="overview_panel"),
]
