from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The app's landing page for the user's role (placeholder until it is built)."""
    return render(request, "components/coming_soon.html")
