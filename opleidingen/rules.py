"""Who may search the opleidingsaanbod (django-rules): the consultants (gemeente, UWV)."""

import rules

from praktijkleren.accounts.rules import is_consultant

rules.add_perm("opleidingen.view_opleidingsaanbod", is_consultant)
