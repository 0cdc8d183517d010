"""transfers pages (TEMPORARY placeholders: being replaced by the real views)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kw):
    return HttpResponse("todo")


urlpatterns = [
    path("transfers/", _todo, name="transfer_list"),
]
