"""`python -m assistant.rasa_server run …`: Rasa's own command line, with JSON-line logs only.

Rasa 3.6 reads `--logging-config-file` and then installs a coloured text handler on the root
logger (rasa/__main__.py), so lines logged through the root logger and Python warnings would
come out as plain text between the JSON lines. This entry point keeps the JSON handler.
"""
import sys

from assistant.logs import configure_logging


def main() -> None:
    configure_logging()
    import rasa.__main__
    import rasa.utils.io

    rasa.utils.io.configure_colored_logging = lambda loglevel: None
    rasa.__main__.main()


if __name__ == "__main__":
    sys.exit(main())
