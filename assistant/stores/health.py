"""Is the tracker store reachable (for the readiness endpoint), and what a turn does when it is
not: Rasa's channels raise TrackerStoreDisturbed instead of answering from an empty conversation
or keeping the turn in memory only (Rasa workaround 11), and the user reads STORE_DISTURBED_MESSAGE."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from assistant.stores.config import StoreConfigError, tracker_store_config
from assistant.stores.engines import engine_for

logger = logging.getLogger(__name__)

# What the user reads when a turn cannot be stored; nothing they wrote is processed or kept.
STORE_DISTURBED_MESSAGE = (
    "Tjänsten är störd just nu och ditt senaste meddelande kunde inte sparas. "
    "Försök igen om en stund – det du skrivit tidigare i samtalet finns kvar."
)


@dataclass(frozen=True)
class StoreStatus:
    reachable: bool
    store: str
    error: str = ""
    # The configured database refused or dropped the connection (as opposed to a configuration
    # not readable here, or an SQLite file Rasa has not created yet).
    outage: bool = False


def check_tracker_store(endpoints_file: str | None = None) -> StoreStatus:
    try:
        config = tracker_store_config(endpoints_file)
    except StoreConfigError as error:
        return StoreStatus(False, "okänd", str(error))
    if config.missing_file():
        return StoreStatus(False, config.describe(), "SQLite-filen finns inte (har Rasa-servern startat?)")
    try:
        with engine_for(config.url).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        # The driver's message names host and port only, never conversation content.
        reason = str(error.orig if getattr(error, "orig", None) else error).strip().splitlines()[0]
        logger.error("tracker store unreachable: %s (%s)", config.describe(), reason)
        return StoreStatus(False, config.describe(), reason, outage=True)
    return StoreStatus(True, config.describe())


def tracker_store_reachable(endpoints_file: str | None = None) -> bool:
    """True when the configured tracker store answers a query within a couple of seconds."""
    return check_tracker_store(endpoints_file).reachable


class TrackerStoreDisturbed(Exception):
    """Raised inside the Rasa process when the tracker store fails to read or save a turn's
    conversation (Rasa workaround 11): the turn is abandoned, not answered from memory."""


# How the Rasa REST channel tells the HTTP app that the turn was not stored (a 503's "error").
STORE_DISTURBED_ERROR = "tracker store disturbed"


async def run_turn_or_tell_store_disturbed(
    run_turn: Callable[[], Awaitable[Any]], tell: Callable[[str], Awaitable[Any]]
) -> bool:
    """For the input channels inside the Rasa process (socket.io, Teams): a turn whose
    conversation could not be read or saved is reported to the user. False if the user was told.
    """
    try:
        await run_turn()
    except TrackerStoreDisturbed:
        await tell(STORE_DISTURBED_MESSAGE)
        return False
    return True
