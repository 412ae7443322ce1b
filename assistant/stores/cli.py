"""`python -m assistant retention --days N` and `python -m assistant erase <conversation id>`."""
from __future__ import annotations

import argparse
import sys
import time

from assistant.session_tokens import SESSION_ID
from assistant.stores.config import StoreConfigError, tracker_store_config
from assistant.stores.retention import delete_older_than, erase


def _store(args: argparse.Namespace):
    try:
        return tracker_store_config(args.endpoints)
    except StoreConfigError as error:
        print(f"Trackerlagret kan inte läsas ur endpoints-filen: {error}", file=sys.stderr)
        return None


def retention_days(given: int | None, setting: str) -> int | None:
    """`--days` as given, else the named setting's default; None, after saying why, below 1.
    Shared by the conversations' and the feedback's retention commands."""
    if given is None:
        from assistant.settings import get_settings

        given = getattr(get_settings(), setting)
    if given < 1:
        print("--days måste vara minst 1.", file=sys.stderr)
        return None
    return given


def retention(args: argparse.Namespace) -> int:
    args.days = retention_days(args.days, "retention_days")
    if args.days is None:
        return 2
    store = _store(args)
    if store is None:
        return 1
    deleted = delete_older_than(store.url, args.days)
    if not store.missing_file():
        from assistant.session_registry import SessionRegistry

        SessionRegistry(store.url).forget_expired()
    print(
        f"Raderade {deleted.conversations} samtal ({deleted.events} händelser) utan aktivitet på "
        f"{args.days} dagar ur {store.describe()}."
    )
    return 0


def _revoke(store, conversation_id: str) -> None:
    """No token of the erased conversation's session is accepted any more (a widget session's id
    is its conversation id), so nobody can go on writing into what was erased."""
    from assistant.session_registry import SessionRegistry
    from assistant.settings import get_settings

    if not SESSION_ID.match(conversation_id):
        return  # a Teams conversation: it has no session token
    max_age_seconds = get_settings().session_max_hours * 3600
    SessionRegistry(store.url).revoke(conversation_id, time.time() + max_age_seconds)


def erase_conversation(args: argparse.Namespace) -> int:
    store = _store(args)
    if store is None:
        return 1
    deleted = erase(store.url, args.conversation_id)
    _revoke(store, args.conversation_id)
    if not deleted.events:
        print(f"Inget samtal med id {args.conversation_id} finns i {store.describe()}; "
              "dess sessionstoken gäller inte längre.", file=sys.stderr)
        return 1
    print(f"Raderade samtalet {args.conversation_id} ({deleted.events} händelser) ur {store.describe()}; "
          "dess sessionstoken gäller inte längre.")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    endpoints_help = "endpoints-fil med trackerlagret (standard: inställningen INSATSLOTSEN_ENDPOINTS_FILE)"
    parser = commands.add_parser("retention", help="radera samtal äldre än ett antal dagar")
    # The default is read when the command runs: building the parser must not need valid settings.
    parser.add_argument("--days", type=int, default=None,
                        help="samtal utan aktivitet på så här många dagar raderas (standard: INSATSLOTSEN_RETENTION_DAYS, 90)")
    parser.add_argument("--endpoints", help=endpoints_help)
    parser.set_defaults(run=retention)
    parser = commands.add_parser("erase", help="radera ett samtal med dess id")
    parser.add_argument("conversation_id")
    parser.add_argument("--endpoints", help=endpoints_help)
    parser.set_defaults(run=erase_conversation)
