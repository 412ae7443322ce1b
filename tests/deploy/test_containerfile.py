"""What deploy/Containerfile promises, read from the file itself (building the images is
`make images`, too slow for `make test`): a base chosen by build argument, a non-root user in
group 0, a healthcheck and a command per process, and the same timeouts the local processes use."""
import re

import pytest
import yaml

from assistant.processes import ACTION_TIMEOUT_SECONDS, LOCK_LIFETIME_SECONDS, ROOT

CONTAINERFILE = ROOT / "deploy" / "Containerfile"
VALUES = ROOT / "deploy" / "helm" / "insatslotsen" / "values.yaml"
TARGETS = {"rasa": 5005, "action-server": 5055, "web-app": 8000}


def stages() -> dict[str, list[str]]:
    """Instructions per stage name, continuation lines joined."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text())
    found, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.IGNORECASE)
        if match:
            current = match.group(1)
            found[current] = []
        if current:
            found[current].append(line)
    return found


def env_of(target: str) -> dict[str, str]:
    """ENV as the target sees it: its own and its parents' (FROM <stage>)."""
    chain, name, all_stages = [], target, stages()
    while name in all_stages:
        chain.insert(0, name)
        name = all_stages[name][0].split()[1]
    env = {}
    for stage in chain:
        for line in all_stages[stage]:
            if line.startswith("ENV "):
                env.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return env


def test_the_base_is_a_build_argument_defaulting_to_the_bookworm_python_3_11_base():
    text = CONTAINERFILE.read_text()
    assert re.search(r"^ARG BASE_IMAGE=\S*bookworm-python3\.11$", text, re.MULTILINE)
    assert all(line.split()[1] in {"${BASE_IMAGE}", *stages()} for s in stages().values() for line in s[:1])


def test_the_processes_run_as_uid_1001_in_group_0():
    app = stages()["app"]
    assert "USER 1001:0" in app
    assert any("chgrp -R 0 /app" in line and "chmod -R g=u /app" in line for line in app)


@pytest.mark.parametrize("target, port", TARGETS.items())
def test_each_image_has_its_command_a_healthcheck_on_its_port_and_fetches_nothing_at_start(target, port):
    lines = stages()[target]
    healthcheck = next(line for line in lines if line.startswith("HEALTHCHECK"))
    assert f"127.0.0.1:{port}/" in healthcheck
    command = next(line for line in lines if line.startswith("CMD"))
    assert str(port) in command
    assert not re.search(r"pip|curl|wget|https?://(?!127)", command)
    env = env_of(target)
    assert env["HF_HUB_OFFLINE"] == env["TRANSFORMERS_OFFLINE"] == "1"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["HOME"].startswith("/tmp")  # writable on a read-only root filesystem


def test_image_and_chart_use_the_lock_lifetime_and_action_deadline_of_the_local_processes():
    assert env_of("rasa")["TICKET_LOCK_LIFETIME"] == str(LOCK_LIFETIME_SECONDS)
    assert env_of("action-server")["SANIC_RESPONSE_TIMEOUT"] == str(ACTION_TIMEOUT_SECONDS)
    assert env_of("rasa")["SANIC_WORKERS"] == "1"
    settings = yaml.safe_load(VALUES.read_text())["applicationSettings"]
    assert settings["lockLifetimeSeconds"] == LOCK_LIFETIME_SECONDS
    assert settings["actionTimeoutSeconds"] == ACTION_TIMEOUT_SECONDS
