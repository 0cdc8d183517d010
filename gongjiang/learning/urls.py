from django.urls import path

from .challenge_urls import urlpatterns as challenge_urls
from .views import attempts
from .views import banks as bank_views

app_name = "learning"

urlpatterns = [
    path("learning/attempts/<int:pk>/", attempts.attempt_page, name="attempt"),
    path("learning/attempts/<int:pk>/submit/", attempts.attempt_submit, name="attempt_submit"),
    path("learning/answer/", attempts.answer, name="answer"),
]
urlpatterns += challenge_urls
urlpatterns += bank_views.urlpatterns

from .training_urls import urlpatterns as training_urls  # noqa: E402  (sessions, mentor pairs, materials)

urlpatterns += training_urls

from .contests_urls import urlpatterns as contests_urlpatterns  # noqa: E402

urlpatterns += contests_urlpatterns
from .views import figures as _figures  # noqa: E402  (学习统计)

urlpatterns += [path("learning/figures/", _figures.figures, name="figures")]
