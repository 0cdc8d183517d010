"""Each view module declares its own `urlpatterns`; this file only joins them."""

from .views import (
    analysis,
    appeals,
    awards,
    competitions,
    draws,
    events,
    judges,
    judging,
    labour,
    results,
    rounds,
    stages,
    worker,
)

app_name = "competitions"

urlpatterns = [
    # The organisers' set-up: competitions, their stages, events and marking schemes.
    *competitions.urlpatterns, *stages.urlpatterns, *events.urlpatterns,
    # Running a round: registrations and check-in, draws, judges.
    *rounds.urlpatterns, *draws.urlpatterns, *judges.urlpatterns,
    *worker.urlpatterns, *judging.urlpatterns,
    # Results: ranking and public notice, appeals, promotions and certificates, analysis.
    *results.urlpatterns, *appeals.urlpatterns, *awards.urlpatterns, *analysis.urlpatterns,
    *labour.urlpatterns,
]
