"""`python -m knowledge <command>`: each sub-package registers its own commands."""
import argparse
import sys

from knowledge.criteria import cli as criteria_cli
from knowledge.retrieval import cli as retrieval_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    commands = parser.add_subparsers(dest="command", required=True)
    retrieval_cli.register(commands)
    criteria_cli.register(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
