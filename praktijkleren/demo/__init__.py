"""The demo region: realistic, deterministic demo data on the real reference data.

``demo_region_seed`` (in ``praktijkleren.demo.run``) is what ``manage.py seed_demo --reset`` (or
the first ``seed_demo``) calls. The steps live in small modules: ``orgs`` (gemeenten, UWV,
schools, beheer, users), ``kwalificaties`` (which real kwalificaties fit a sector),
``leerbedrijven`` (werkgevers, vestigingen, erkenningen), ``leerbanen`` (leerbanen and
opleidingsaanbod), ``candidates``, ``voordrachten`` (voordrachten and the states they leave),
``enrolments``, ``history`` (the transition logs), ``cleanup`` (removing the demo region) and
``texts`` (Dutch text pools). Everything is written with the ORM, never through the services:
seeding notifies nobody, and every moment is relative to the reference date.
"""
