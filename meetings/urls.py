from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("org/<int:org_pk>/", views.meeting_list, name="meeting_list"),
    path("org/<int:org_pk>/new/", views.meeting_create, name="meeting_create"),
    path("org/<int:org_pk>/compliance/", views.compliance, name="compliance"),
    path("org/<int:org_pk>/calendar/", views.meeting_calendar, name="calendar"),
    path("org/<int:org_pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("org/<int:org_pk>/meetings.xlsx", views.meeting_list_export, name="meeting_list_export"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/submit/", views.meeting_submit, name="meeting_submit"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("<int:pk>/qr/", views.meeting_qr, name="meeting_qr"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("mine/", views.my_attendance, name="my_attendance"),
    path("attendance/<int:pk>/make-up/", views.makeup_done, name="makeup_done"),
]
