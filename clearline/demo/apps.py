from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clearline.demo"
    label = "demo"

    def ready(self) -> None:
        from clearline.demo import checks  # noqa: F401 - production refuses the published demo sign-ins
