"""orgs pages (TEMPORARY placeholders: being replaced by the real views)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kw):
    return HttpResponse("todo")


urlpatterns = [
    path("orgs/", _todo, name="org_tree"),
    path("orgs/<int:pk>/", _todo, name="org_detail"),
]
