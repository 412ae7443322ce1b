"""Debian's HAProxy in front of the replicas, configured as the cluster's ingress and Services are.

- `web` (the ingress): round robin over the web-app replicas, a cookie that pins a browser to one
  replica (as ingress-nginx's cookie affinity does, for the socket.io relay), websocket tunnels
  kept open an hour.
- `rasa` and `actions` (the Services): round robin over the ready replicas; a replica is taken out
  after three failed health checks, as a failing readinessProbe takes a pod out of its Service.
  A refused connection is retried on another replica (the request never reached the first);
  nothing that reached a replica is ever sent twice.

Every replica has two server slots ("blue" and "green"): a rolling restart starts the new process
in the idle slot, enables it once ready, puts the old slot in maintenance (no new requests, the
running ones finish) and stops the old process, as a Deployment with maxSurge 1 and
maxUnavailable 0 does. The runtime API (a UNIX socket) makes the changes without a reload.
"""
from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.processes import free_port
from tests.stores.services import terminate

HEALTH_PATHS = {"web": "/api/health", "rasa": "/webhooks/rest/", "actions": "/health"}
SLOTS = ("blue", "green")


@dataclass
class Backend:
    name: str
    replicas: list[str]
    port: int = field(default_factory=free_port)  # the frontend ("Service") port
    # (replica, slot) -> the port a process in that slot listens on
    slot_ports: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for replica in self.replicas:
            for slot in SLOTS:
                self.slot_ports[(replica, slot)] = free_port()

    def server(self, replica: str, slot: str) -> str:
        return f"{replica}-{slot}"


def haproxy_binary() -> str:
    path = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(path).exists():
        raise FileNotFoundError("haproxy is not installed; run `sudo apt-get install haproxy` (`make services` does)")
    return path


def config(backends: list[Backend], socket_path: Path) -> str:
    lines = [
        "global",
        f"    stats socket {socket_path} mode 600 level admin",
        "    maxconn 2000",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        "    timeout client 120s",
        "    timeout server 120s",
        # Websockets (the widget's socket.io) stay open as long as an ingress keeps them.
        "    timeout tunnel 3600s",
        # A caller that gives up closes the connection, and the replica stops the request (Sanic
        # cancels the handler), as when a Service or the ingress passes the close on. Without it
        # HAProxy would let the replica finish a turn whose caller has resent it: a duplicate.
        "    option abortonclose",
        "    retries 3",
        "    option redispatch",
        "    retry-on conn-failure",
        # As the chart's readinessProbes: a check may take 3 s, three failures in a row take the
        # replica out. A busy replica answers slowly but answers; a stricter check empties the
        # backend when the load is highest (measured: 1 s and 2 failures left rasa with no server
        # for minutes on this machine). A crashed replica refuses connections, and such a request
        # goes to another replica at once (retry-on conn-failure), long before the check notices.
        "    timeout check 3s",
        "    default-server inter 2s fall 3 rise 1",
    ]
    for backend in backends:
        lines += [f"frontend {backend.name}", f"    bind 127.0.0.1:{backend.port}", f"    default_backend {backend.name}",
                  f"backend {backend.name}", "    balance roundrobin",
                  f"    option httpchk GET {HEALTH_PATHS[backend.name]}"]
        if backend.name == "web":
            lines.append("    cookie insatslotsen-route insert indirect nocache httponly")
        for (replica, slot), port in backend.slot_ports.items():
            name = backend.server(replica, slot)
            cookie = f" cookie {name}" if backend.name == "web" else ""
            # The green slots start in maintenance: empty until a rolling restart fills them.
            state = " disabled" if slot == "green" else ""
            lines.append(f"    server {name} 127.0.0.1:{port} check{cookie}{state}")
    return "\n".join(lines) + "\n"


class HAProxy:
    def __init__(self, backends: list[Backend], workdir: Path) -> None:
        self.backends = {b.name: b for b in backends}
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.socket_path = self.dir / "haproxy.sock"
        self.config_path = self.dir / "haproxy.cfg"
        self.config_path.write_text(config(backends, self.socket_path))
        check = subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refused its configuration: {check.stderr}")
        self.process = subprocess.Popen([haproxy_binary(), "-db", "-f", str(self.config_path)],
                                        stdout=open(self.dir / "haproxy.log", "wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not self.socket_path.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"haproxy did not start; see {self.dir / 'haproxy.log'}")
            time.sleep(0.1)

    def url(self, backend: str) -> str:
        return f"http://127.0.0.1:{self.backends[backend].port}"

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(str(self.socket_path))
            client.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := client.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self) -> dict[tuple[str, str], dict]:
        rows = csv.DictReader(io.StringIO(self.command("show stat").lstrip("# ")))
        return {(row["pxname"], row["svname"]): row for row in rows}

    def set_state(self, backend: str, replica: str, slot: str, state: str) -> None:
        """state: ready (take requests), maint (no new requests; running ones finish)."""
        answer = self.command(f"set server {backend}/{self.backends[backend].server(replica, slot)} state {state}")
        if answer.strip():
            raise RuntimeError(f"haproxy: {answer.strip()}")

    def wait_status(self, backend: str, replica: str, slot: str, wanted: str, timeout: float = 30) -> None:
        name = self.backends[backend].server(replica, slot)
        deadline = time.monotonic() + timeout
        while True:
            status = self.stats()[(backend, name)]["status"]
            if status.startswith(wanted):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{backend}/{name} is {status}, not {wanted}, after {timeout} s")
            time.sleep(0.2)

    def wait_idle(self, backend: str, replica: str, slot: str, timeout: float = 60) -> None:
        """Until no request is running on the server (its current sessions are 0)."""
        name = self.backends[backend].server(replica, slot)
        deadline = time.monotonic() + timeout
        while int(self.stats()[(backend, name)]["scur"] or 0) > 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{backend}/{name} still serves requests after {timeout} s")
            time.sleep(0.2)

    def stop(self) -> None:
        terminate(self.process)
