"""Each topic's view module declares its own `urlpatterns`; this file only joins them."""

from .views import accounts, orgs, people, transfers

app_name = "orgs"

urlpatterns = [*accounts.urlpatterns, *orgs.urlpatterns, *people.urlpatterns, *transfers.urlpatterns]
