"""Validates every object of rendered manifests strictly against Kubernetes' schemas.

Runs in the tools' own virtual environment (deploy/tools/install.sh), with kubernetes-validate:
    validate_manifests.py FILE VERSION [VERSION ...]   ("latest": the newest schema it ships)
Prints one JSON object: {"versions": [...], "objects": N, "errors": ["<version> <kind>/<name>: <why>"]}.
"""
import json
import sys

import yaml
from kubernetes_validate import utils


def main(path: str, versions: list[str]) -> int:
    versions = [utils.latest_version() if v == "latest" else v for v in versions]
    with open(path, encoding="utf-8") as handle:
        objects = [doc for doc in yaml.safe_load_all(handle) if doc]
    errors = []
    for version in versions:
        for obj in objects:
            name = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
            try:
                utils.validate(obj, version, strict=True)
            except (utils.ValidationError, utils.SchemaNotFoundError, utils.VersionNotSupportedError,
                    utils.InvalidSchemaError) as error:
                errors.append(f"{version} {name}: {getattr(error, 'message', error)}")
    print(json.dumps({"versions": versions, "objects": len(objects), "errors": errors}, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
