from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """统计: the dashboards, the annual report, the API and the home panel over the fact store
    (gongjiang/orgs/facts.py). Every figure is a row of orgs.Fact that the other apps' verbs keep; the app's own
    rows are the report's narrative."""

    name = "gongjiang.stats"
    label = "stats"
    verbose_name = _("Statistics")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.stats.urls"
    api_router = "gongjiang.stats.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import plugins
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        plugins.register()  # menu, home panel (core.registry)
