from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "gongjiang.innovation"
    label = "innovation"
    verbose_name = _("Innovation")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.innovation.urls"
    api_router = "gongjiang.innovation.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import imports  # noqa: F401  (registers the paper-register import)
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)

        from . import metrics, plugins, publicity

        metrics.register()  # the innovation figures of the fact store (orgs/facts.py) and their source

        publicity.register()  # the call results' notice and the award certificates (core)

        plugins.register()  # menus, to-do, search, home panel, demo, personas (core.registry)
        plugins.register_exhibition()  # the 6·18 exhibition's menu entry, to-do and search
