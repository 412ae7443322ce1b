"""Throwaway PostgreSQL and Redis servers on free loopback ports, from Debian's packages.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the
Debian package creates and is started with `runuser`.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from assistant.processes import ROOT, free_port

INSTALL_HINT = f"run `sudo bash {ROOT / 'scripts' / 'install_services.sh'}` (CI: `make services`)"


class MissingService(RuntimeError):
    pass


def postgres_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for directory in reversed(candidates):
        if os.access(Path(directory) / "initdb", os.X_OK):
            return Path(directory)
    raise MissingService(f"PostgreSQL (initdb, pg_ctl) is not installed; {INSTALL_HINT}")


def redis_bin() -> str:
    path = shutil.which("redis-server")
    if path is None:
        raise MissingService(f"redis-server is not installed; {INSTALL_HINT}")
    return path


class PostgresServer:
    user = "rasa"

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                import pwd
                pwd.getpwnam("postgres")
            except KeyError:
                raise MissingService(f"no `postgres` system user to run PostgreSQL as; {INSTALL_HINT}")
        # Not under pytest's tmp_path: that lies in root's private directory, out of postgres' reach.
        self.dir = Path(tempfile.mkdtemp(prefix="insatslotsen-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.log = self.dir / "postgres.log"
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        argv = [str(self.bin / tool), *args]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, cwd=self.dir, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr or result.stdout}")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="insatslotsen-redis-"))
        self.process = subprocess.Popen(
            [redis_bin(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=open(self.dir / "redis.log", "wb"), stderr=subprocess.STDOUT,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {self.dir / 'redis.log'}")
                time.sleep(0.1)

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db)

    def remove(self) -> None:
        terminate(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


def terminate(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, and SIGKILL if the process has not ended after `timeout` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
