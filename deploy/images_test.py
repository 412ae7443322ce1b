"""`make images-test`: the three images (`make images`) with PostgreSQL and Redis on a private
podman network without a way out (--internal), each process as the chart runs it: UID 1001 in
group 0, read-only root filesystem with a /tmp tmpfs, all capabilities dropped, no privilege
escalation. A client container on the same network then makes one consultation per persona
through the web app (tests/deploy/images_client.py). Prints how long each step took.

Runtime notes for this machine (docs/deploy.md): crun refuses its hybrid cgroup set-up, so runc
runs the containers, with limits under the sandbox's hard limits."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES_ENV = ROOT / ".cache" / "images.env"
SERVICES_IMAGE = "localhost/insatslotsen/services:bookworm"
PODMAN = ["podman", "--runtime", "runc"]
LIMITS = ["--ulimit", "nofile=16384:16384", "--ulimit", "nproc=4096:4096"]
HARDENED = ["--read-only", "--tmpfs", "/tmp:rw,size=2g,mode=1777", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "--user", "1001:0"]
PG_BIN = "/usr/lib/postgresql/15/bin"


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])} …: {result.stderr.strip() or result.stdout.strip()}")
    return result


def images() -> dict[str, str]:
    if not IMAGES_ENV.exists():
        raise SystemExit(f"{IMAGES_ENV} saknas: kör `make images` först.")
    return dict(line.split("=", 1) for line in IMAGES_ENV.read_text().split())


def wait_healthy(name: str, timeout: float) -> float:
    """Runs the image's HEALTHCHECK until it passes; returns the seconds it took."""
    began = time.monotonic()
    while podman("healthcheck", "run", name, check=False).returncode != 0:
        state = podman("inspect", "--format", "{{.State.Status}}", name).stdout.strip()
        if state != "running" or time.monotonic() - began > timeout:
            logs = podman("logs", "--tail", "30", name, check=False)
            raise RuntimeError(f"{name} är {state}, inte frisk efter {time.monotonic() - began:.0f} s:\n"
                               f"{logs.stdout}{logs.stderr}")
        time.sleep(2)
    return time.monotonic() - began


def wait_command(name: str, argv: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while podman("exec", name, *argv, check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} svarar inte: {' '.join(argv)}")
        time.sleep(1)


def main() -> int:
    tags = images()
    subprocess.run(["bash", str(ROOT / "deploy" / "base.sh"), "services"], check=True)
    run_id = uuid.uuid4().hex[:6]
    network = f"insatslotsen-test-{run_id}"
    names = {k: f"{k}-{run_id}" for k in ("postgres", "redis", "actions", "rasa", "web", "client")}
    db_password, redis_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    timings: dict[str, float] = {}
    podman("network", "create", "--internal", network)
    try:
        began = time.monotonic()
        # PostgreSQL and Redis from Debian's packages, with passwords, as the managed services are.
        podman("run", "-d", "--name", names["postgres"], "--network", network, "--network-alias", "postgres",
               *LIMITS, "--user", "postgres", "--tmpfs", "/tmp:rw,size=512m", "--tmpfs", "/var/run/postgresql",
               "--env", f"PGPASSWORD={db_password}", SERVICES_IMAGE, "bash", "-c",
               f"echo \"$PGPASSWORD\" > /tmp/pw && {PG_BIN}/initdb -D /tmp/pg -U insatslotsen -A scram-sha-256 "
               f"--pwfile=/tmp/pw -E UTF8 >/dev/null && rm /tmp/pw && "
               # The other containers connect over the network, with the password.
               f"echo 'host all all 0.0.0.0/0 scram-sha-256' >> /tmp/pg/pg_hba.conf && "
               f"exec {PG_BIN}/postgres -D /tmp/pg -c listen_addresses='*' -c fsync=off")
        podman("run", "-d", "--name", names["redis"], "--network", network, "--network-alias", "redis", *LIMITS,
               SERVICES_IMAGE, "redis-server", "--bind", "0.0.0.0", "--requirepass", redis_password,
               "--save", "", "--appendonly", "no")
        wait_command(names["postgres"], [f"{PG_BIN}/pg_isready", "-h", "127.0.0.1", "-U", "insatslotsen"])
        wait_command(names["postgres"], ["bash", "-c", f"PGPASSWORD='{db_password}' psql -h 127.0.0.1 -U insatslotsen "
                                         "-d postgres -c 'CREATE DATABASE rasa' >/dev/null"])
        timings["postgres + redis"] = time.monotonic() - began

        store_env = {
            "TRACKER_DB_HOST": "postgres", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": "rasa",
            "TRACKER_DB_USER": "insatslotsen", "TRACKER_DB_PASSWORD": db_password,
            "LOCK_STORE_HOST": "redis", "LOCK_STORE_PORT": "6379", "LOCK_STORE_DB": "1",
            "LOCK_STORE_PASSWORD": redis_password,
        }
        session_secret = secrets.token_urlsafe(32)

        def env_args(values: dict[str, str]) -> list[str]:
            return [arg for key, value in values.items() for arg in ("--env", f"{key}={value}")]

        began = time.monotonic()
        podman("run", "-d", "--name", names["actions"], "--network", network, "--network-alias", "action-server",
               *LIMITS, *HARDENED, tags["ACTION_SERVER_IMAGE"])
        podman("run", "-d", "--name", names["rasa"], "--network", network, "--network-alias", "rasa",
               *LIMITS, *HARDENED, *env_args({**store_env, "ACTION_ENDPOINT_URL": "http://action-server:5055/webhook",
                                              "INSATSLOTSEN_SESSION_SECRET": session_secret}),
               tags["RASA_IMAGE"])
        podman("run", "-d", "--name", names["web"], "--network", network, "--network-alias", "web-app",
               *LIMITS, *HARDENED, *env_args({
                   **store_env, "INSATSLOTSEN_RASA_URL": "http://rasa:5005",
                   "INSATSLOTSEN_ACTION_SERVER_URL": "http://action-server:5055",
                   "INSATSLOTSEN_SESSION_SECRET": session_secret,
                   "INSATSLOTSEN_ALLOWED_ORIGINS": "http://web-app:8000",
                   "INSATSLOTSEN_FEEDBACK_DB": f"postgresql://insatslotsen:{db_password}@postgres:5432/rasa",
               }), tags["WEB_APP_IMAGE"])
        for key in ("actions", "rasa", "web"):
            timings[f"{key} healthy"] = wait_healthy(names[key], timeout=900)
        timings["three processes"] = time.monotonic() - began

        began = time.monotonic()
        client = podman("run", "--rm", "--name", names["client"], "--network", network, *LIMITS, *HARDENED,
                        "--volume", f"{ROOT / 'tests'}:/app/tests:ro", tags["WEB_APP_IMAGE"],
                        "python", "-m", "tests.deploy.images_client", "http://web-app:8000", check=False, timeout=900)
        timings["consultations"] = time.monotonic() - began
        print(client.stdout.strip() or client.stderr.strip())
        report = json.loads(client.stdout.strip().splitlines()[-1]) if client.stdout.strip() else {"problems": [client.stderr]}
    finally:
        for name in names.values():
            podman("rm", "-f", "-t", "5", name, check=False)
        podman("network", "rm", "-f", network, check=False)
    print("\n| steg | sekunder |\n|---|---|")
    for step, seconds in timings.items():
        print(f"| {step} | {seconds:.0f} |")
    if report["problems"]:
        print("FEL: " + "; ".join(report["problems"]), file=sys.stderr)
        return 1
    print("images-test: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
