"""Who may see and change leerbanen (django-rules); object scoping is in the selectors."""

import rules

from praktijkleren.accounts.rules import is_consultant, is_werkgever

rules.add_perm("leerbedrijven.view_leerbaan", is_consultant | is_werkgever)
rules.add_perm("leerbedrijven.change_leerbaan", is_werkgever)
rules.add_perm("leerbedrijven.view_erkenning", is_werkgever)
