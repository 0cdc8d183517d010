"""Each audience's view module declares its own `urlpatterns`; this file only joins them."""

from .views import judging, labour, results, rounds, setup, worker

urlpatterns = [*setup.urlpatterns, *rounds.urlpatterns, *worker.urlpatterns, *judging.urlpatterns,
               *results.urlpatterns, *labour.urlpatterns]
