"""Which Teams activities were already taken in, so a redelivery does not run a turn twice.

The Bot Connector redelivers an activity it got no timely answer for, with the same `id`. One
process remembers ids in memory; several Rasa replicas (endpoints.replicas.yml) share them in the
lock store's Redis, where `SET NX` makes "first time?" one atomic step whichever replica asks.
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

from assistant.stores.config import RedisConfig, redis_config

logger = logging.getLogger(__name__)

# The Bot Connector retries within minutes; an hour is far beyond that.
REMEMBER_SECONDS = 3600
KEY_PREFIX = "insatslotsen:teams-activity:"


class SeenUnavailable(RuntimeError):
    """The shared store did not answer: the activity is refused with 503, so it is redelivered."""


class SeenActivities(Protocol):
    def first_time(self, activity_id: str) -> bool: ...


class MemorySeenActivities:
    def __init__(self, capacity: int = 100_000, remember_seconds: float = REMEMBER_SECONDS,
                 clock=time.monotonic) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._capacity = capacity
        self._remember = remember_seconds
        self._clock = clock

    def first_time(self, activity_id: str) -> bool:
        now = self._clock()
        while self._seen and next(iter(self._seen.values())) < now - self._remember:
            self._seen.popitem(last=False)
        if activity_id in self._seen:
            return False
        self._seen[activity_id] = now
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


class RedisSeenActivities:
    def __init__(self, config: RedisConfig, remember_seconds: int = REMEMBER_SECONDS) -> None:
        import redis

        self._redis = redis.Redis(host=config.host, port=config.port, db=config.db, password=config.password,
                                  socket_timeout=2, socket_connect_timeout=2)
        self._remember = remember_seconds

    def first_time(self, activity_id: str) -> bool:
        import redis

        try:
            return bool(self._redis.set(KEY_PREFIX + activity_id, b"1", nx=True, ex=self._remember))
        except redis.exceptions.RedisError as error:
            raise SeenUnavailable(type(error).__name__) from None


def seen_activities(endpoints_file: str | None = None) -> SeenActivities:
    config = redis_config(endpoints_file)
    if config is None:
        return MemorySeenActivities()
    logger.info("Teams activity ids are shared through the lock store's Redis at %s:%s", config.host, config.port)
    return RedisSeenActivities(config)
