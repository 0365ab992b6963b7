from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo region (``manage.py seed_demo``): generated, realistic demo data on the real
    reference data, kept apart from the domain apps."""

    name = "praktijkleren.demo"
    label = "demo"
    verbose_name = _("Demo")
