"""A small example app, installed only in the tests: it shows (and `tests/test_adding_an_app.py` proves) that an
app plugs into the site through core's registries alone — its AppConfig names its URLs, and `plugins.register()`
adds its menu entry, landing page, to-do, search, demo loader, demo persona and audit verb labels. It imports
nothing but Django and gongjiang.core, and no other app imports it (see docs/architecture.md, "Adding an app")."""
