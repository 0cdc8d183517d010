from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongjiang.core"
    label = "core"
    verbose_name = _("Core")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.core.urls"
    api_router = "gongjiang.core.api.inbox.router"

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import IdConverter

        register_converter(IdConverter, "id")

        from . import plugins

        plugins.register()
