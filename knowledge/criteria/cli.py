"""`python -m knowledge check <facts.json | ->`: prints the check result as JSON."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from knowledge.criteria.checker import check
from knowledge.criteria.facts import FactsError
from knowledge.provenance import stamp

EXIT_INVALID_INPUT = 2


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="kontrollera fakta mot insatsernas kriterier",
        description="Kontrollerar fakta (ett JSON-objekt) mot kriterierna för de sex insatserna och skriver resultatet som JSON.",
    )
    parser.add_argument("facts", help="JSON-fil med fakta, eller - för att läsa från standard in")
    parser.add_argument("--on", type=_parse_date, default=None, help="datum (ÅÅÅÅ-MM-DD) då reglerna ska gälla; standard är i dag")
    parser.add_argument("--compact", action="store_true", help="skriv JSON på en rad")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        facts = _read_facts(args.facts)
        result = stamp(check(facts, on=args.on))
    except _InputError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_INPUT
    except FactsError as error:
        print("Ogiltiga fakta:", file=sys.stderr)
        for message in error.errors:
            print(f"- {message}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    print(json.dumps(result, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


class _InputError(Exception):
    pass


def _read_facts(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as error:
        raise _InputError(f"Kan inte läsa faktafilen {path}: {error.strerror}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _InputError(f"Faktafilen {path} är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}).") from None


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt datum {text!r}; använd ÅÅÅÅ-MM-DD") from None
