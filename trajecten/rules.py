"""Who may see and change enrolments (django-rules); object scoping is in
``trajecten.selectors.enrolments_visible_to`` and the workflow decides each transition."""

import rules

from praktijkleren.accounts.rules import is_consultant, is_school, is_werkgever

rules.add_perm("trajecten.view_enrolment", is_school | is_consultant | is_werkgever)
rules.add_perm("trajecten.change_enrolment", is_school | is_consultant)
