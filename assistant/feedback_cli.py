"""`python -m assistant feedback list|export`: the 👎 answers, for a person to review and label."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from assistant.feedback import delete_feedback_older_than, erase_feedback, evaluation_candidates, list_feedback
from assistant.stores.cli import retention_days


def register(commands: Any) -> None:
    parser = commands.add_parser("feedback", help="lista och exportera återkoppling (👍/👎)")
    actions = parser.add_subparsers(dest="feedback_command", required=True)
    listing = actions.add_parser("list", help="lista svar som fått 👎 (eller --alla)")
    listing.add_argument("--alla", action="store_true", help="visa även 👍")
    listing.set_defaults(run=_list)
    export = actions.add_parser(
        "export", help="exportera 👎-svaren som omärkta fall i formatet för tests/data/retrieval_eval.yaml"
    )
    export.add_argument("--out", type=Path, default=None, help="YAML-fil att skriva; standard är standard ut")
    export.set_defaults(run=_export)
    retention = actions.add_parser("retention", help="radera återkoppling äldre än ett antal dagar")
    retention.add_argument("--days", type=int, default=None,
                           help="standard: INSATSLOTSEN_FEEDBACK_RETENTION_DAYS (365)")
    retention.set_defaults(run=_retention)
    erase = actions.add_parser("erase", help="radera en återkoppling med dess nummer (från feedback list)")
    erase.add_argument("feedback_id", type=int)
    erase.set_defaults(run=_erase)


def _retention(args: argparse.Namespace) -> int:
    args.days = retention_days(args.days, "feedback_retention_days")
    if args.days is None:
        return 2
    removed = delete_feedback_older_than(args.days)
    print(f"Raderade {removed} återkopplingar äldre än {args.days} dagar.")
    return 0


def _erase(args: argparse.Namespace) -> int:
    if not erase_feedback(args.feedback_id):
        print(f"Ingen återkoppling med nummer {args.feedback_id} finns.", file=sys.stderr)
        return 1
    print(f"Raderade återkoppling #{args.feedback_id}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = list_feedback(rating=None if args.alla else "down")
    if not rows:
        print("Ingen återkoppling ännu." if args.alla else "Inga svar har fått 👎.")
        return 0
    for row in rows:
        mark = "👍" if row.rating == "up" else "👎"
        when = row.created_at.strftime("%Y-%m-%d %H:%M") if row.created_at else "?"
        passage = f" · rätt avsnitt enligt användaren: {row.passage_id}" if row.passage_id else ""
        print(f"#{row.id} {mark} {when} ({row.channel}, regler {row.versions.get('rules')}){passage}")
        print(f"   Fråga: {row.question}")
        print(f"   Svar:  {_first_line(row.answer)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    rows = list_feedback(rating="down")
    document = yaml.safe_dump(evaluation_candidates(rows), allow_unicode=True, sort_keys=False)
    header = (
        "# Omärkta fall från 👎-återkoppling. Granska varje fråga, ange rätt avsnitt under answers\n"
        "# (passage, doc, section), sätt split och flytta fallet till tests/data/retrieval_eval.yaml.\n"
    )
    if args.out is None:
        sys.stdout.write(header + document)
    else:
        args.out.write_text(header + document, encoding="utf-8")
        print(f"Skrev {len(rows)} fall till {args.out}.", file=sys.stderr)
    return 0


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
