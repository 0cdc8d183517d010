"""accounts pages (TEMPORARY placeholders: being replaced by the real views)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kw):
    return HttpResponse("todo")


urlpatterns = [
    path("", _todo, name="home"),
    path("login/", _todo, name="login"),
    path("logout/", _todo, name="logout"),
    path("account/", _todo, name="account"),
    path("account/password/", _todo, name="password_change"),
    path("account/tokens/", _todo, name="api_tokens"),
    path("scope/", _todo, name="switch_scope"),
    path("accounts/", _todo, name="account_list"),
    path("me/", _todo, name="my_record"),
]
