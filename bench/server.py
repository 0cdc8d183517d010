"""The WSGI application the HTTP benchmarks serve with granian: the whole site plus one reference view,
`POST /bench/insert/`, a minimal Django view doing one INSERT (the "one INSERT" reference of issue 3 §6)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjiang.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


@csrf_exempt
def insert(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (payload) VALUES (%s)", [request.body.decode()[:200]])
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/insert/", insert), path("", include("gongjiang.urls"))]
settings.ROOT_URLCONF = __name__
application = WSGIHandler()
