"""The contests part's routes (included from urls.py)."""

from .views.contests import urlpatterns

__all__ = ["urlpatterns"]
