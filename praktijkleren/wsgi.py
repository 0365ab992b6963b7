"""WSGI entry point (gunicorn ``praktijkleren.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praktijkleren.settings.dev")

application = get_wsgi_application()
