"""The demo region: realistic, deterministic demo data on the real reference data.

``demo_region_seed`` (in ``praktijkleren.demo.run``) is what ``manage.py seed_demo`` calls. The
steps live in small modules: ``orgs`` (gemeenten, UWV, schools, beheer, users), ``kwalificaties``
(which real kwalificaties fit a sector), ``leerbedrijven`` (werkgevers, vestigingen,
erkenningen), ``leerbanen`` (leerbanen and opleidingsaanbod), ``candidates``, ``matches``
(matches and enrolments), ``cleanup`` (removing a previous run) and ``texts`` (Dutch text pools).
"""
