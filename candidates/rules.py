"""Who may do what with candidates, matches and enrolments (django-rules).

Role checks only; which objects a user sees is decided by the ``*_visible_to`` selectors,
so a user of another organisation gets a 404 for an object that is not theirs.
"""

import rules

from praktijkleren.accounts.rules import is_consultant, is_school, is_werkgever

rules.add_perm("candidates.view_candidate", is_consultant)
rules.add_perm("candidates.add_candidate", is_consultant)
rules.add_perm("candidates.propose_match", is_consultant)
rules.add_perm("candidates.change_match_status", is_consultant | is_werkgever)
rules.add_perm("candidates.view_enrolment", is_school | is_consultant | is_werkgever)
