"""The guard tests' world (organisation A's objects in every place, a user per role) serves the
input tests too."""

from tests.test_guards import world  # noqa: F401
