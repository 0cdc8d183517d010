from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "gongjiang.care"
    label = "care"
    verbose_name = _("Needy-worker assistance")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.care.urls"
    api_router = "gongjiang.care.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import plugins
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        plugins.register()  # menu, to-do, demo, personas, metrics (core.registry, orgs.facts)
