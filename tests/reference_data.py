"""The tests that read the real reference data (``settings.REFERENCE_DATA_DIR``, by default
``../shared/data``) run only where it is: a missing or an empty directory (what docker compose
leaves where it was missing) skips them."""

from pathlib import Path

import pytest
from django.conf import settings

from praktijkleren.importing import reference_data_present

needs_reference_data = pytest.mark.skipif(
    not reference_data_present(Path(settings.REFERENCE_DATA_DIR)), reason="no shared/data"
)
