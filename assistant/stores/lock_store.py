"""A Redis lock store whose tickets come from one atomic Redis operation.

Rasa's RedisLockStore keeps a conversation's whole ticket queue as one JSON value and changes it
with GET, modify in Python, SET. Two replicas asking at the same moment both read the same queue,
both issue the same ticket number (or one overwrites the other's ticket), and then both process
the same conversation at once. Here the ticket number comes from INCR and the queue is a sorted
set changed only by single Redis commands, so no update can be lost.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# INCR the conversation's counter and enter the ticket in its queue in one step: a ticket that
# is numbered but not yet queued would let a later ticket be served first.
_ISSUE_TICKET = """
local number = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], number, number .. ':' .. ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return number
"""


class AtomicRedisLockStore(RedisLockStore):
    """Configured in endpoints as `type: assistant.stores.lock_store.AtomicRedisLockStore`."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE_TICKET)

    def _counter_key(self, conversation_id: Text) -> str:
        return f"{self.key_prefix}counter:{conversation_id}"

    def _queue_key(self, conversation_id: Text) -> str:
        return f"{self.key_prefix}queue:{conversation_id}"

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        expires = time.time() + lock_lifetime
        # Counter and queue outlive every ticket in them; an idle conversation leaves nothing.
        keep_ms = int(2 * lock_lifetime * 1000)
        try:
            return int(
                self._issue(
                    keys=[self._counter_key(conversation_id), self._queue_key(conversation_id)],
                    args=[repr(expires), keep_ms],
                )
            )
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        members = self.red.zrange(self._queue_key(conversation_id), 0, -1)
        if not members:
            return None
        tickets = deque()
        for member in members:
            number, expires = member.decode().split(":", 1)
            tickets.append(Ticket(int(number), float(expires)))
        return TicketLock(conversation_id, tickets)

    def update_lock(self, conversation_id: Text) -> None:
        """Drops expired tickets one by one; tickets issued meanwhile stay untouched."""
        lock = self.get_lock(conversation_id)
        if lock:
            expired = [t for t in lock.tickets if t.has_expired()]
            if expired:
                self.red.zrem(self._queue_key(conversation_id), *(_member(t) for t in expired))

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self.red.zremrangebyscore(self._queue_key(conversation_id), ticket_number, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # No separate delete: Redis drops an empty sorted set by itself, whereas "nobody waiting?
        # then delete" could delete a ticket another replica issued in between.
        self.finish_serving(conversation_id, ticket_number)

    def save_lock(self, lock: TicketLock) -> None:
        """Replaces the queue in one transaction (the store's own paths never need this)."""
        key = self._queue_key(lock.conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if lock.tickets:
                pipe.zadd(key, {_member(t): t.number for t in lock.tickets})
            pipe.execute()

    def delete_lock(self, conversation_id: Text) -> None:
        deleted = self.red.delete(self._queue_key(conversation_id), self._counter_key(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))


def _member(ticket: Ticket) -> str:
    return f"{ticket.number}:{ticket.expires!r}"
