"""The challenges' addresses (included by learning/urls.py)."""

from django.urls import path

from .views import challenges

urlpatterns = [
    # cadres
    path("learning/challenges/", challenges.challenge_list, name="challenge_list"),
    path("learning/challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("learning/challenges/<int:pk>/", challenges.challenge_detail, name="challenge_detail"),
    path("learning/challenges/<int:pk>/edit/", challenges.challenge_edit, name="challenge_edit"),
    path("learning/challenges/<int:pk>/publish/", challenges.challenge_publish, name="challenge_publish"),
    path("learning/challenges/<int:pk>/figures/", challenges.challenge_figures, name="challenge_figures"),
    path("learning/challenges/<int:pk>/levels/new/", challenges.level_edit, name="level_create"),
    path("learning/challenges/<int:pk>/levels/<int:level_pk>/", challenges.level_edit, name="level_edit"),
    path("learning/challenges/<int:pk>/levels/<int:level_pk>/move/", challenges.level_move, name="level_move"),
    path("learning/challenges/<int:pk>/levels/<int:level_pk>/remove/", challenges.level_remove,
         name="level_remove"),
    # leaderboards
    path("learning/challenges/<int:pk>/board/", challenges.board_people, name="board_people"),
    path("learning/challenges/<int:pk>/board/orgs/", challenges.board_orgs, name="board_orgs"),
    # workers
    path("learning/me/", challenges.my_learning, name="my_learning"),
    path("learning/me/challenges/<int:pk>/", challenges.my_challenge, name="my_challenge"),
    path("learning/me/levels/<int:pk>/enter/", challenges.level_enter, name="level_enter"),
    path("learning/me/practice/", challenges.my_practice, name="my_practice"),
    path("learning/me/mistakes/", challenges.my_mistakes, name="my_mistakes"),
    path("learning/me/mistakes/practice/", challenges.my_mistake_practice, name="my_mistake_practice"),
]
