from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "gongjiang.learning"
    label = "learning"
    verbose_name = _("Learning")
    # Wiring (gongjiang/urls.py and gongjiang/api.py mount what each app names here).
    urls = "gongjiang.learning.urls"
    api_router = "gongjiang.learning.api.router"

    def ready(self) -> None:
        from gongjiang.core.verbs import register_verbs

        from . import (
            banks_plugins,
            challenge_plugins,
            contest_plugins,
            facts_plugins,
            figures_plugins,
            training_plugins,
        )
        from .verbs import KEYS, VERBS

        register_verbs(VERBS, keys=KEYS)
        facts_plugins.register()  # the learning figures' metrics and their source in the fact store
        banks_plugins.register()  # question banks: menu, verbs, the Excel import, demo
        training_plugins.register()  # training, mentorship, materials: menu, person panel, import, demo
        contest_plugins.register()  # contests and theory exams: verbs, certificates, menu, back links
        challenge_plugins.register()  # level challenges and practice: verbs' labels, menu, landing, returns
        figures_plugins.register()  # the figures page and home panel, the demo's activity and learner persona
