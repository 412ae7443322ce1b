"""`python -m assistant run`: the action server, the Rasa server and the HTTP app on localhost."""
import argparse
import signal
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from assistant import feedback_cli
from assistant.processes import ROOT, MODEL_PATH, Supervisor, action_server, api_server, rasa_server
from assistant.settings import get_settings
from assistant.stores import cli as stores_cli
from assistant.stores.config import endpoints_path


def _stop_like_ctrl_c(signum, frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    if not MODEL_PATH.exists():
        print(f"Ingen tränad modell i {MODEL_PATH}. Kör `make run` (tränar vid behov).", file=sys.stderr)
        return 1
    var = ROOT / "var"
    try:
        # Read when the command runs: building the parser must not need valid settings.
        args.host = args.host or get_settings().host
        # The HTTP app's store check reads the tracker store from the same endpoints file.
        store_env = {"INSATSLOTSEN_ENDPOINTS_FILE": str(endpoints_path())}
        services = [
            action_server(args.action_port),
            rasa_server(args.rasa_port, args.action_port, var / "tracker.db", endpoints=endpoints_path()),
            api_server(args.port, args.rasa_port, host=args.host, action_port=args.action_port,
                       tracker_db=var / "tracker.db", env=store_env),
        ]
    except ValidationError as error:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        print(f"Ogiltiga inställningar, startar inte: {reasons}", file=sys.stderr)
        return 2
    supervisor = Supervisor(services, log_dir=var / "logs")
    print("==> Startar actionserver, Rasa-server och webbapp (första start tar ungefär en halv minut)")
    started = time.monotonic()
    supervisor.start()
    print(f"==> Klart på {time.monotonic() - started:.0f} s. Öppna http://{args.host}:{args.port}/ i webbläsaren.")
    print(f"    Loggar: {var / 'logs'}. Avsluta med Ctrl-C.")
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    try:
        while all(s.process.poll() is None for s in supervisor.services):
            time.sleep(1)
        stopped = [s.name for s in supervisor.services if s.process.poll() is not None]
        print(f"==> {', '.join(stopped)} stannade oväntat; stänger resten. Se loggarna.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n==> Stänger ner …")
        return 0
    finally:
        supervisor.stop()


def teams_package(args: argparse.Namespace) -> int:
    from assistant.teams_package import PackageError, build_package

    try:
        out = build_package(args.app_id, args.base_url, args.out, args.version)
    except PackageError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"==> Teams-appaketet: {out} (ladda upp det i Teams eller Teams admin center, se docs/teams.md)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="starta assistenten lokalt")
    run_parser.add_argument("--host", default=None, help="standard: INSATSLOTSEN_HOST (127.0.0.1)")
    run_parser.add_argument("--port", type=int, default=8000)
    run_parser.add_argument("--rasa-port", type=int, default=5005)
    run_parser.add_argument("--action-port", type=int, default=5055)
    run_parser.set_defaults(run=run)
    stores_cli.add_commands(commands)
    package_parser = commands.add_parser("teams-package", help="bygg Teams-appaketet (zip) att ladda upp")
    package_parser.add_argument("--app-id", required=True, help="botens Microsoft App ID (GUID) från Azure")
    package_parser.add_argument("--base-url", required=True, help="appens publika https-adress")
    package_parser.add_argument("--version", default="1.0.0", help="appaketets version, t.ex. 1.0.0")
    package_parser.add_argument("--out", type=Path, default=ROOT / "dist" / "insatslotsen-teams.zip")
    package_parser.set_defaults(run=teams_package)
    feedback_cli.register(commands)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
