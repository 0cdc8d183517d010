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
