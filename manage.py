#!/usr/bin/env python
"""Django's command-line utility for Praktijkleren."""

import os
import sys


def main() -> None:
    """Run a management command; the embedded dev settings are the default."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praktijkleren.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
