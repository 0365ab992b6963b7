"""Who may search the opleidingsaanbod (django-rules): the consultants (gemeente, UWV); who
keeps it in the portal: the mbo-instellingen, each its own (object scoping in
``opleidingen.selectors.aanbod_visible_to``)."""

import rules

from praktijkleren.accounts.rules import is_consultant, is_school

rules.add_perm("opleidingen.view_opleidingsaanbod", is_consultant)
rules.add_perm("opleidingen.change_opleidingsaanbod", is_school)
