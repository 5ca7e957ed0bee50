import pytest

from reelearn.celery import app as celery_app


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.fixture
def broker_down():
    original = celery_app.conf.broker_url, celery_app.conf.broker_write_url
    # A real connection attempt to a port where nothing listens.
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_write_url = original


def test_healthz_is_503_when_the_broker_is_unreachable(client, db, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"
