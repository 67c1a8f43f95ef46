from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from accounts.forms import ThrottledAuthenticationForm
from members.views import home


def healthz(request):
    """Liveness for the load balancer and docker-compose: no database, no login."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("branches.urls")),
    path("people/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("liaison/", include("liaison.urls")),
    path("notifications/", include("notifications.urls")),
    path("assessments/", include("assessments.urls")),
    path("development/", include("development.urls")),
    path("vanguard/", include("vanguard.urls")),
    path("activities/", include("activities.urls")),
    path("serviceteam/", include("serviceteam.urls")),
    path("dues/", include("dues.urls")),
    path("study/", include("study.urls")),
    path("elections/", include("elections.urls")),
    path("transfers/", include("transfers.urls")),
    path("notices/", include("notices.urls")),
    path("overview/", include("overview.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
