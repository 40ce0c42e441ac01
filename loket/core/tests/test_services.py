"""Readable numbers and the outbox.

Ticket numbers and the ticket.created message are tested with ticket creation
(loket/tickets/tests/test_workflow.py): core may not import the domain apps, not even in its tests.
"""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from loket.core.models import OutboxMessage
from loket.core.services import enqueue, next_sequence_value, raise_sequence_to


def test_a_sequence_counts_up_from_one(db):
    assert [next_sequence_value(name="ticket-2026") for _ in range(3)] == [1, 2, 3]


def test_sequences_count_independently(db):
    next_sequence_value(name="ticket-2025")
    next_sequence_value(name="ticket-2025")

    assert next_sequence_value(name="ticket-2026") == 1
    assert next_sequence_value(name="ticket-2025") == 3


def test_raising_a_sequence_never_lowers_it(db):
    raise_sequence_to(name="ticket-2026", value=40)
    raise_sequence_to(name="ticket-2026", value=10)

    assert next_sequence_value(name="ticket-2026") == 41


def test_a_sequence_number_taken_in_a_rolled_back_transaction_is_given_out_again(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        next_sequence_value(name="ticket-2026")
        raise RuntimeError("crash before commit")

    assert next_sequence_value(name="ticket-2026") == 1


def test_an_enqueued_message_waits_for_the_worker(db):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    message = enqueue("ticket.created", payload={"number": "M2026-000001"}, now=at)

    pending = OutboxMessage.objects.get(pk=message.pk)
    assert (pending.topic, pending.payload) == ("ticket.created", {"number": "M2026-000001"})
    assert pending.created_at == pending.available_at == at
    assert (pending.sent_at, pending.attempts) == (None, 0)


def test_a_message_enqueued_in_a_rolled_back_transaction_is_never_sent(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("ticket.created", payload={"number": "M2026-000001"})
        raise RuntimeError("crash before commit")

    assert not OutboxMessage.objects.exists()
