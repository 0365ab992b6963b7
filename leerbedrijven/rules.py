"""Who may see leerbanen (django-rules); object scoping is in ``leerbanen_visible_to``."""

import rules

from praktijkleren.accounts.rules import is_consultant, is_werkgever

rules.add_perm("leerbedrijven.view_leerbaan", is_consultant | is_werkgever)
