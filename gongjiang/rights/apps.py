from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "gongjiang.rights"
    label = "rights"
    verbose_name = _("Democratic management and collective contracts")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.rights.urls"
    api_router = "gongjiang.rights.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import figures, plugins
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        figures.register()  # metrics and source of the fact store
        plugins.register()  # menu, to-do, demo, persona (core.registry)
