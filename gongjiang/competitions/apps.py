from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "gongjiang.competitions"
    label = "competitions"
    verbose_name = _("Competitions")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.competitions.urls"
    api_router = "gongjiang.competitions.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import imports, publicity, registration_import  # noqa: F401  (register the scheme and registration imports)
        from .verbs import DESCRIBERS, KEYS, VERBS

        register_verbs(VERBS, keys=KEYS, describers=DESCRIBERS)
        publicity.register()  # the round's public notice and the prize certificates: core kinds

        from . import plugins

        plugins.register()  # menus, landing pages, to-do, search, demo (core.registry)

        from . import theory_online

        theory_online.register()  # rounds whose theory exam is taken online in the learning app

        from itertools import chain

        from gongjiang.orgs import facts

        from . import figures, labour_figures

        # its metrics and its one source in the fact store (orgs/facts.py): the skills side's and the labour slice's
        metrics = (*figures.METRICS, *labour_figures.METRICS)
        facts.register_metric(*metrics)
        facts.register_source(facts.Source("competitions", tuple(m.key for m in metrics),
                                           lambda: chain(figures.rows(), labour_figures.rows())))
