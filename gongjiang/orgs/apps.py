from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongjiang.orgs"
    label = "orgs"
    verbose_name = _("Organisations & members")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.orgs.urls"
    api_router = "gongjiang.orgs.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import (
            imports,  # noqa: F401  (registers the roster import)
            scoping,
            tree_version,
        )
        from .verbs import DESCRIBERS, KEYS, VERBS

        scoping.register()
        tree_version.connect()  # readers keeping the tree's children (the statistics dashboard) forget them
        register_verbs(VERBS, keys=KEYS, describers=DESCRIBERS)

        from . import plugins

        plugins.register()  # menus, landing pages, to-do, search, demo (core.registry)
