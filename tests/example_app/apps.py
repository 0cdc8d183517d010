from django.apps import AppConfig


class ExampleConfig(AppConfig):
    name = "tests.example_app"
    label = "example_app"
    verbose_name = "Example"
    urls = "tests.example_app.urls"  # mounted by gongjiang/urls.py, under the namespace example_app

    def ready(self) -> None:
        from . import plugins

        plugins.register()
