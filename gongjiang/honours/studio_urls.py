"""The studios' addresses (included by honours/urls.py)."""

from django.urls import path

from .views import studios

urlpatterns = [
    path("honours/studios/", studios.studio_list, name="studio_list"),
    path("honours/studios/new/", studios.studio_create, name="studio_create"),
    path("honours/studios/todo/", studios.studio_todo, name="studio_todo"),
    path("honours/studios/figures/", studios.studio_figures, name="studio_figures"),
    path("honours/studios/<int:pk>/", studios.studio_detail, name="studio_detail"),
    path("honours/studios/<int:pk>/edit/", studios.studio_edit, name="studio_edit"),
    path("honours/studios/<int:pk>/assessments/<int:year>/", studios.assessment_detail, name="assessment_detail"),
    path("honours/studios/<int:pk>/assessments/<int:assessment_pk>/files/<int:file_pk>/", studios.assessment_file,
         name="assessment_file"),
]
