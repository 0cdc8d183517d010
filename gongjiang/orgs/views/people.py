"""people pages (TEMPORARY placeholders: being replaced by the real views)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kw):
    return HttpResponse("todo")


urlpatterns = [
    path("people/", _todo, name="person_list"),
    path("people/<int:pk>/", _todo, name="person_detail"),
]
