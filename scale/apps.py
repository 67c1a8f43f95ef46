from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """The provincial data generator and the benchmark.

    Its own app: it writes every other app's tables in bulk and measures the whole
    portal, so it belongs to none of them.
    """

    name = "scale"
    verbose_name = "Scale"
