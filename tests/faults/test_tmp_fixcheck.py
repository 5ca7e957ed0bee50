import pytest
from kombu.exceptions import OperationalError as BrokerError

from reelearn.packs import receivers, services
from . import test_broker_down as t

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fixed(monkeypatch):
    from reelearn.packs.tasks import pack_build_task, packs_refresh_task

    def enqueue(pack_id):
        def send():
            try:
                pack_build_task.delay(pack_id)
            except BrokerError:
                pass
        from django.db import transaction
        transaction.on_commit(send)
    monkeypatch.setattr(services, "_enqueue", enqueue)

    class Safe:
        @staticmethod
        def delay_on_commit(**kw):
            from django.db import transaction
            def send():
                try:
                    packs_refresh_task.delay(**kw)
                except BrokerError:
                    pass
            transaction.on_commit(send)
    monkeypatch.setattr(receivers, "packs_refresh_task", Safe)


def test_a(quiz_setup, broker_down, fixed):
    t.test_asking_for_a_pack_while_the_broker_is_down_says_it_is_queued.__wrapped__(quiz_setup, broker_down) if hasattr(t.test_asking_for_a_pack_while_the_broker_is_down_says_it_is_queued, "__wrapped__") else t.test_asking_for_a_pack_while_the_broker_is_down_says_it_is_queued(quiz_setup, broker_down)


def test_b(quiz_setup, editor, broker_down, fixed):
    t.test_publishing_a_lesson_while_the_broker_is_down(quiz_setup, editor, broker_down)
