"""Starts, watches and stops the three local processes: action server, Rasa server, HTTP app.

`python -m assistant run` and the end-to-end tests both use this, so the tests exercise the
same command lines a maintainer runs.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from assistant.channels.teams_env import teams_env
from assistant.logs import LOG_LEVEL, LOGGING_CONFIG
from assistant.session_tokens import SECRET_ENV
from assistant.settings import get_settings
from knowledge.offline import OFFLINE_ENV

ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = ROOT / "models" / "insatslotsen.tar.gz"
ENDPOINTS = ROOT / "endpoints.yml"

# Rasa holds a conversation's ticket lock for LOCK_LIFETIME_SECONDS but waits up to 300 s for a
# custom action (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT). A slower action would let the next
# message of the same conversation run in parallel, so the action server answers (503) by its
# own deadline, well inside the lock's lifetime.
LOCK_LIFETIME_SECONDS = 60
ACTION_TIMEOUT_SECONDS = 30
VENV_BIN = Path(sys.executable).parent
# How often a starting process is asked whether it answers: a request to the loopback costs a
# millisecond, and every start waits on average half the interval after the process is ready
# (a test run starts some thirty of them).
READY_POLL_SECONDS = 0.1

# Telemetry off and no downloads (offline.env); the city's data stays inside.
QUIET_ENV = {
    **OFFLINE_ENV,
    "PYTHONPATH": str(ROOT),
    # Fixed here, over whatever the environment says: Rasa logs whole trackers at DEBUG.
    "LOG_LEVEL": LOG_LEVEL,
}


def session_secret_env() -> dict[str, str]:
    """The widget session secret for both the HTTP app and the Rasa channel: the configured one, or
    in development one generated for this start. Raises pydantic's ValidationError in production
    when none is configured."""
    return {SECRET_ENV: get_settings().session_secret.get_secret_value()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Service:
    name: str
    argv: list[str]
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self, log_dir: Path) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_dir / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env={**os.environ, **QUIET_ENV, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def action_server(port: int) -> Service:
    return Service(
        "actions",
        [str(VENV_BIN / "python"), "-m", "assistant.action_server", "--port", str(port)],
        ready_url=f"http://127.0.0.1:{port}/health",
        env={"SANIC_RESPONSE_TIMEOUT": str(ACTION_TIMEOUT_SECONDS)},
    )


def rasa_server(
    port: int,
    action_port: int,
    tracker_db: Path,
    model: Path = MODEL_PATH,
    endpoints: Path = ENDPOINTS,
    env: dict[str, str] | None = None,
    name: str = "rasa",
) -> Service:
    """`env` fills the endpoints file's other ${VARIABLES} (e.g. the PostgreSQL and Redis addresses)."""
    tracker_db.parent.mkdir(parents=True, exist_ok=True)
    return Service(
        name,
        [
            str(VENV_BIN / "python"), "-m", "assistant.rasa_server", "run",
            "--model", str(model),
            "--endpoints", str(endpoints),
            "--credentials", "credentials.yml",
            "--interface", "127.0.0.1",
            "--port", str(port),
            "--logging-config-file", str(LOGGING_CONFIG),
        ],
        ready_url=f"http://127.0.0.1:{port}/webhooks/rest/",
        env={
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "TRACKER_DB": str(tracker_db),
            # The channels' store check (assistant.stores.health) reads the store Rasa runs with.
            "INSATSLOTSEN_ENDPOINTS_FILE": str(endpoints),
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
            **teams_env(os.environ),
            **session_secret_env(),
            **(env or {}),
        },
    )


def api_server(
    port: int,
    rasa_port: int,
    host: str = "127.0.0.1",
    action_port: int | None = None,
    tracker_db: Path | None = None,
    env: dict[str, str] | None = None,
) -> Service:
    """`env`: the endpoints file's variables (INSATSLOTSEN_ENDPOINTS_FILE, TRACKER_DB_*), so the
    chat route's store check (assistant.stores.health) looks at the store Rasa uses."""
    # Readiness (/api/ready) probes the action server and the tracker database too.
    probes = {}
    if action_port is not None:
        probes["INSATSLOTSEN_ACTION_SERVER_URL"] = f"http://127.0.0.1:{action_port}"
    if tracker_db is not None:
        probes["TRACKER_DB"] = str(tracker_db)
    return Service(
        "api",
        [
            str(VENV_BIN / "python"), "-m", "uvicorn", "assistant.main:app",
            "--host", host, "--port", str(port), "--no-access-log", "--log-config", str(LOGGING_CONFIG),
            # Rasa pins websockets 10, which uvicorn's default websockets implementation cannot use.
            "--ws", "wsproto",
            # A memory bound for any websocket message; the socket.io relay's own cap is far lower.
            "--ws-max-size", str(1024 * 1024),
        ],
        ready_url=f"http://127.0.0.1:{port}/api/health",
        env={
            "INSATSLOTSEN_RASA_URL": f"http://127.0.0.1:{rasa_port}",
            **probes,
            **session_secret_env(),
            # Unless configured, the widget page may connect from where this start serves it.
            "INSATSLOTSEN_ALLOWED_ORIGINS": _allowed_origins(host, port),
            **(env or {}),
        },
    )


def _allowed_origins(host: str, port: int) -> str:
    settings = get_settings()
    if "allowed_origins" in settings.__fields_set__:  # configured: passed on as it was read
        return ",".join(settings.allowed_origins)
    return _local_origins(host, port)


def _local_origins(host: str, port: int) -> str:
    hosts = ["127.0.0.1", "localhost"] + ([host] if host not in {"127.0.0.1", "localhost", "0.0.0.0", "::"} else [])
    return ",".join(f"http://{name}:{port}" for name in hosts)


class Supervisor:
    """Starts services in order, waits until each answers, and stops them all together."""

    def __init__(self, services: list[Service], log_dir: Path) -> None:
        self.services = services
        self.log_dir = log_dir

    def start(self, timeout: float = 180) -> None:
        for service in self.services:
            service.start(self.log_dir)
        deadline = time.monotonic() + timeout
        waiting = list(self.services)
        while waiting:
            for service in list(waiting):
                if service.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(
                        f"{service.name} avslutades vid start (kod {service.process.returncode}); "
                        f"se {self.log_dir / (service.name + '.log')}"
                    )
                if service.is_ready():
                    waiting.remove(service)
            if waiting and time.monotonic() > deadline:
                self.stop()
                names = ", ".join(s.name for s in waiting)
                raise TimeoutError(f"{names} svarade inte inom {timeout:.0f} s; se loggarna i {self.log_dir}")
            time.sleep(READY_POLL_SECONDS)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Supervisor:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class LocalStack:
    """Action server, Rasa server and HTTP app on free loopback ports, with an SQLite tracker store
    in a working folder: what the end-to-end tests, the fault tests and the load benchmark run."""

    supervisor: Supervisor
    api_url: str
    rasa_url: str
    action_url: str
    tracker_db: Path
    log_dir: Path
    # The session secret both servers got: tests sign tokens for Rasa's REST channel with it.
    session_secret: str


def local_stack(workdir: Path, api_env: dict[str, str] | None = None, model: Path = MODEL_PATH) -> LocalStack:
    action_port, rasa_port, api_port = free_port(), free_port(), free_port()
    tracker_db = workdir / "tracker.db"
    supervisor = Supervisor(
        [
            action_server(action_port),
            rasa_server(rasa_port, action_port, tracker_db, model=model),
            # Test conversations type faster than a person: the per-session turn limit has its
            # own tests (tests/assistant/test_chat_api.py) and is off here unless api_env sets it.
            api_server(api_port, rasa_port, action_port=action_port, tracker_db=tracker_db,
                       env={"INSATSLOTSEN_CHAT_TURNS_PER_MINUTE": "0", **(api_env or {})}),
        ],
        log_dir=workdir / "logs",
    )
    urls = [f"http://127.0.0.1:{port}" for port in (api_port, rasa_port, action_port)]
    secret = supervisor.services[1].env[SECRET_ENV]
    return LocalStack(supervisor, *urls, tracker_db, workdir / "logs", secret)
