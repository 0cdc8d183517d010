from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "gongjiang.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.assessments.urls"
    api_router = "gongjiang.assessments.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import plugins
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        plugins.register()  # menu, to-do, demo (core.registry)
