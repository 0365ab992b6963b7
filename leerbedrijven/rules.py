"""Who may see and change leerbanen and leerbedrijven (django-rules); object scoping is in
the selectors."""

import rules

from praktijkleren.accounts.rules import is_consultant, is_werkgever

rules.add_perm("leerbedrijven.view_leerbaan", is_consultant | is_werkgever)
rules.add_perm("leerbedrijven.change_leerbaan", is_werkgever)
# The leerbedrijf's profile (vestigingen, contact persons, praktijkopleiders): its werkgever's
# users; which leerbedrijf is the selectors' ``*_owned_by``.
rules.add_perm("leerbedrijven.view_leerbedrijf", is_werkgever)
rules.add_perm("leerbedrijven.change_leerbedrijf", is_werkgever)
rules.add_perm("leerbedrijven.view_erkenning", is_werkgever)
