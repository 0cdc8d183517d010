from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .plugins import SUGGESTIONS


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "example_app/index.html", {"suggestions": SUGGESTIONS})
