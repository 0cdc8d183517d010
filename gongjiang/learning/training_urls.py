"""The training part's addresses (included by learning/urls.py)."""

from django.urls import path

from .views import training

urlpatterns = [
    path("learning/training/", training.session_list, name="session_list"),
    path("learning/training/new/", training.session_create, name="session_create"),
    path("learning/training/<int:pk>/", training.session_detail, name="session_detail"),
    path("learning/training/<int:pk>/edit/", training.session_edit, name="session_edit"),
    path("learning/training/<int:pk>/files/<int:file_pk>/", training.session_file, name="session_file"),
    path("learning/training/<int:pk>/import/", training.attendee_import, name="attendee_import"),
    path("learning/training/<int:pk>/import/template.xlsx", training.attendee_import_template,
         name="attendee_import_template"),
    path("learning/training/imports/<int:pk>/", training.attendee_import_status, name="attendee_import_status"),
    path("learning/mentors/", training.pair_list, name="pair_list"),
    path("learning/mentors/new/", training.pair_create, name="pair_create"),
    path("learning/mentors/<int:pk>/", training.pair_detail, name="pair_detail"),
    path("learning/materials/", training.material_list, name="material_list"),
    path("learning/materials/new/", training.material_create, name="material_create"),
    path("learning/materials/<int:pk>/file/", training.material_file, name="material_file"),
    path("learning/materials/<int:pk>/done/", training.material_done, name="material_done"),
]
