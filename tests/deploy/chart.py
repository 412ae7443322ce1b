"""Renders the Helm chart and validates manifests with the pinned tools (deploy/tools/install.sh)."""
from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import yaml

from assistant.processes import ROOT

CHART = ROOT / "deploy" / "helm" / "insatslotsen"
PRODUCTION_VALUES = ROOT / "deploy" / "helm" / "production-values.yaml"
TOOLS = ROOT / ".cache" / "deploy-tools"
HELM = TOOLS / "bin" / "helm"
TOOLS_PYTHON = TOOLS / "venv" / "bin" / "python"
VALIDATOR = ROOT / "deploy" / "tools" / "validate_manifests.py"
INSTALL_HINT = "run `bash deploy/tools/install.sh` (`make test` does)"


def tools_missing() -> str | None:
    missing = [str(p) for p in (HELM, TOOLS_PYTHON) if not p.exists()]
    return f"missing {', '.join(missing)}; {INSTALL_HINT}" if missing else None


def helm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(HELM), *args], capture_output=True, text=True, timeout=120)


def render_text(*values_files: Path, sets: tuple[str, ...] = ()) -> str:
    argv = ["template", "insatslotsen", str(CHART), "--namespace", "socialtjanst"]
    for path in values_files:
        argv += ["-f", str(path)]
    for assignment in sets:
        argv += ["--set", assignment]
    result = helm(*argv)
    if result.returncode != 0:
        raise RuntimeError(f"helm template failed: {result.stderr}")
    return result.stdout


def render(*values_files: Path, sets: tuple[str, ...] = ()) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(render_text(*values_files, sets=sets)) if doc]


def validate(objects: list[dict], versions: tuple[str, ...]) -> dict:
    """kubernetes-validate --strict on every object, for every version ("latest" allowed)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        yaml.safe_dump_all(objects, handle)
    try:
        result = subprocess.run([str(TOOLS_PYTHON), str(VALIDATOR), handle.name, *versions],
                                capture_output=True, text=True, timeout=300)
    finally:
        Path(handle.name).unlink()
    if not result.stdout.strip():
        raise RuntimeError(f"validator printed nothing: {result.stderr}")
    return json.loads(result.stdout)


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o["kind"] == kind]


def pod_specs(objects: list[dict]) -> dict[str, dict]:
    """Every pod template by "<Kind>/<name>": Deployments' and the CronJob's."""
    specs = {}
    for obj in objects:
        if obj["kind"] == "Deployment":
            specs[f"Deployment/{obj['metadata']['name']}"] = obj["spec"]["template"]["spec"]
        elif obj["kind"] == "CronJob":
            specs[f"CronJob/{obj['metadata']['name']}"] = obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return specs


def component(obj: dict) -> str:
    return obj["metadata"]["labels"]["app.kubernetes.io/component"]
