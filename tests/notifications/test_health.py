"""``praktijkleren.health`` (tested here, next to the compose stack whose healthcheck uses it)."""

import json

import pytest
from django.db import DatabaseError
from django.test import RequestFactory

from praktijkleren import health as health_module


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers():
    response = health_module.health(RequestFactory().get("/gezondheid/"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_unavailable_when_the_database_fails(monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health_module.connection, "cursor", BrokenCursor)
    response = health_module.health(RequestFactory().get("/gezondheid/"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}


def test_health_refuses_writes():
    response = health_module.health(RequestFactory().post("/gezondheid/"))
    assert response.status_code == 405
