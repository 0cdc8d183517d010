from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import desk, inbox, views
from .certificates import views as certificate_views
from .notices import views as notice_views

app_name = "core"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<id:pk>/", views.import_status, name="import_status"),
    path("imports/<id:pk>/errors.xlsx", views.import_error_report, name="import_error_report"),
    path("imports/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("todo/", desk.todo, name="todo"),
    path("search/", desk.search, name="search"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<id:pk>/", inbox.inbox_open, name="inbox_open"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    *notice_views.urlpatterns,
    *certificate_views.urlpatterns,
    # Browsers ask for /favicon.ico by themselves where a page names no icon (a PDF, a JSON answer).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("gongjiang/favicon.ico")), name="favicon"),
]
