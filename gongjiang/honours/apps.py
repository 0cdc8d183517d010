from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "gongjiang.honours"
    label = "honours"
    verbose_name = _("Honours")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.honours.urls"
    api_router = "gongjiang.honours.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import imports, plugins, studio_imports  # noqa: F401  (registering the imports)
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        plugins.register()  # menu, to-do, search, demo (core.registry)

        from . import figures

        figures.register()  # its metrics and source in the fact store (orgs/facts.py)
