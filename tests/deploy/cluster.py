"""A cluster on one machine: HAProxy (tests/deploy/haproxy.py) in front of two web-app replicas,
two Rasa replicas and an action server, over one PostgreSQL and one Redis (tests/stores), with
the two things a cluster does to its pods: a crash (SIGKILL, then the kubelet's restart) and a
rolling restart (a new pod ready before the old one stops)."""
from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from assistant.processes import READY_POLL_SECONDS, Service, action_server, api_server, rasa_server
from tests.deploy.haproxy import SLOTS, Backend, HAProxy
from tests.stores.replicas import REPLICA_ENDPOINTS, replica_env
from tests.stores.services import PostgresServer, RedisServer

START_TIMEOUT = 400  # two Rasa servers loading at once on 2 busy cores took up to 108 s


@dataclass
class Cluster:
    workdir: Path
    postgres: PostgresServer
    redis: RedisServer
    database: str
    haproxy: HAProxy
    running: dict[tuple[str, str], tuple[str, Service]] = field(default_factory=dict)  # (backend, replica) -> (slot, process)
    log: list[str] = field(default_factory=list)
    # Every process started, in rotation or not (a replacement still loading): stop() ends them all.
    launched: list[Service] = field(default_factory=list)

    @property
    def web_url(self) -> str:
        return self.haproxy.url("web")

    @property
    def database_url(self) -> str:
        return self.postgres.url(self.database)

    def _service(self, backend: str, replica: str, slot: str) -> Service:
        port = self.haproxy.backends[backend].slot_ports[(replica, slot)]
        env = replica_env(self.postgres, self.database, self.redis.port)
        actions_port = self.haproxy.backends["actions"].port
        if backend == "actions":
            service = action_server(port)
        elif backend == "rasa":
            service = rasa_server(port, actions_port, self.workdir / f"unused-{replica}-{slot}.db",
                                  endpoints=REPLICA_ENDPOINTS, env=env)
        else:
            service = api_server(port, self.haproxy.backends["rasa"].port, action_port=actions_port, env={
                **env, "INSATSLOTSEN_ENDPOINTS_FILE": str(REPLICA_ENDPOINTS),
                # Every simulated handläggare comes from 127.0.0.1: the per-client limit would
                # count them as one.
                "INSATSLOTSEN_RATE_LIMIT_PER_MINUTE": "0",
                # The page is served through the balancer: its origin is the balancer's.
                "INSATSLOTSEN_ALLOWED_ORIGINS": self.web_url,
            })
        service.name = f"{backend}-{replica}-{slot}"
        return service

    def launch(self, backend: str, replica: str, slot: str) -> Service:
        """The process in `slot`, started; wait_ready says when it answers."""
        service = self._service(backend, replica, slot)
        service.start(self.workdir / "logs")
        self.launched.append(service)
        return service

    def wait_ready(self, service: Service, timeout: float = START_TIMEOUT) -> Service:
        deadline = time.monotonic() + timeout
        while not service.is_ready():
            if service.process.poll() is not None:
                raise RuntimeError(f"{service.name} exited with {service.process.returncode}; see its log")
            if time.monotonic() > deadline:
                service.stop()
                raise TimeoutError(f"{service.name} not ready after {timeout} s")
            time.sleep(READY_POLL_SECONDS)
        return service

    def start(self, backend: str, replica: str, slot: str, timeout: float = START_TIMEOUT) -> Service:
        return self.wait_ready(self.launch(backend, replica, slot), timeout)

    def start_all(self) -> None:
        # Every pod at once, as `helm install` creates all Deployments together (none waits for
        # another to be ready); then until HAProxy has each in rotation.
        pending = [(backend, replica, self.launch(backend, replica, "blue"))
                   for backend in ("actions", "rasa", "web") for replica in self.haproxy.backends[backend].replicas]
        for backend, replica, service in pending:
            self.running[(backend, replica)] = ("blue", service)
        for backend, replica, service in pending:
            self.wait_ready(service)
            self.haproxy.wait_status(backend, replica, "blue", "UP")

    def begin_replacement(self, backend: str, replica: str) -> Service:
        """The first half of a rolling restart (maxSurge 1): the new process, started in the idle
        slot, not taking requests; wait_ready before switch_to."""
        old_slot, _ = self.running[(backend, replica)]
        return self.launch(backend, replica, SLOTS[1 - SLOTS.index(old_slot)])

    def switch_to(self, backend: str, replica: str, new: Service) -> None:
        """The second half (maxUnavailable 0): the new process goes into rotation before the old
        one gets no more requests; the old one finishes what it has and is stopped (SIGTERM)."""
        old_slot, old = self.running[(backend, replica)]
        new_slot = SLOTS[1 - SLOTS.index(old_slot)]
        began = time.monotonic()
        self.haproxy.set_state(backend, replica, new_slot, "ready")
        self.haproxy.wait_status(backend, replica, new_slot, "UP")
        self.haproxy.set_state(backend, replica, old_slot, "maint")
        self.haproxy.wait_idle(backend, replica, old_slot)
        old.stop(timeout=30)
        self.running[(backend, replica)] = (new_slot, new)
        self.log.append(f"switch {backend}/{replica} to {new_slot}: {time.monotonic() - began:.1f} s")

    def crash_and_restart(self, backend: str, replica: str) -> float:
        """SIGKILL, as a crashed pod or a lost node; the replacement starts in the same slot and
        the balancer's health check takes it back. Returns seconds until it serves again."""
        slot, old = self.running[(backend, replica)]
        started = time.monotonic()
        os.killpg(old.process.pid, signal.SIGKILL)
        old.process.wait()
        self.haproxy.wait_status(backend, replica, slot, "DOWN")
        new = self.start(backend, replica, slot)
        self.haproxy.wait_status(backend, replica, slot, "UP")
        self.running[(backend, replica)] = (slot, new)
        took = time.monotonic() - started
        self.log.append(f"crash {backend}/{replica}: serving again after {took:.0f} s")
        return took

    def stop(self) -> None:
        for service in self.launched:
            service.stop()
        self.haproxy.stop()
        self.redis.remove()
        self.postgres.remove()


def start_cluster(workdir: Path) -> Cluster:
    postgres = PostgresServer()
    redis = haproxy = None
    try:
        postgres.start()
        database = f"rasa{uuid.uuid4().hex[:8]}"
        postgres.create_database(database)
        redis = RedisServer()
        haproxy = HAProxy([Backend("web", ["a", "b"]), Backend("rasa", ["a", "b"]), Backend("actions", ["a"])],
                          workdir / "haproxy")
        cluster = Cluster(workdir, postgres, redis, database, haproxy)
    except BaseException:
        if haproxy:
            haproxy.stop()
        if redis:
            redis.remove()
        postgres.remove()
        raise
    try:
        cluster.start_all()
    except BaseException:
        cluster.stop()
        raise
    return cluster
