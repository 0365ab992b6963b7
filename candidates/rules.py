"""Who may do what with candidates and voordrachten (django-rules).

Role checks only; which objects a user sees is decided by the ``*_visible_to`` selectors, so a
user of another organisation gets a 404 for an object that is not theirs, and whether a
transition may run now is decided by the workflow (``candidates.models``).
"""

import rules

from praktijkleren.accounts.rules import is_consultant, is_werkgever

rules.add_perm("candidates.view_candidate", is_consultant)
rules.add_perm("candidates.add_candidate", is_consultant)
rules.add_perm("candidates.change_candidate", is_consultant)
rules.add_perm("candidates.add_voordracht", is_consultant)
rules.add_perm("candidates.view_voordracht", is_consultant | is_werkgever)
rules.add_perm("candidates.change_voordracht", is_consultant | is_werkgever)
rules.add_perm("candidates.decide_voordracht", is_werkgever)
rules.add_perm("candidates.view_voordrachtrequest", is_consultant | is_werkgever)
rules.add_perm("candidates.add_voordrachtrequest", is_werkgever)
rules.add_perm("candidates.change_voordrachtrequest", is_consultant)
