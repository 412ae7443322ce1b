"""The Helm chart (deploy/helm/insatslotsen): lint, strict Kubernetes schema validation, and what
the rendered objects must hold, with the default values and a production-like values file."""
import re

import pytest
import yaml

from tests.deploy.chart import (
    CHART, PRODUCTION_VALUES, component, helm, of_kind, pod_specs, render, render_text, validate,
)
from tests.stores.replicas import REPLICA_ENDPOINTS

SECRET_NAME = re.compile(r"PASSWORD|SECRET|_TOKEN$")


def containers(rendered):
    for where, spec in pod_specs(rendered).items():
        for container in spec["containers"]:
            yield where, spec, container


@pytest.mark.parametrize("values", [(), ("-f", str(PRODUCTION_VALUES))], ids=["default", "production"])
def test_chart_passes_helm_lint_strict(chart_tools, values):
    result = helm("lint", "--strict", str(CHART), *values)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_object_validates_strictly_for_kubernetes_1_29_and_the_newest_known(rendered):
    report = validate(rendered, ("1.29.0", "latest"))
    assert report["errors"] == []
    assert report["objects"] == len(rendered) and len(rendered) >= 15
    newest = tuple(int(part) for part in report["versions"][1].split(".")[:2])
    assert newest > (1, 29)


def test_the_validator_rejects_an_unknown_field_and_a_wrong_type(rendered):
    deployment = yaml.safe_load(yaml.safe_dump(of_kind(rendered, "Deployment")[0]))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    service = yaml.safe_load(yaml.safe_dump(of_kind(rendered, "Service")[0]))
    service["spec"]["ports"][0]["port"] = "femtusen"
    report = validate([deployment, service], ("1.29.0",))
    assert len(report["errors"]) == 2, report


def test_every_container_runs_as_non_root_without_privileges_on_a_read_only_root(rendered):
    for where, spec, container in containers(rendered):
        pod, own = spec.get("securityContext", {}), container["securityContext"]
        assert own.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, where
        assert own.get("runAsUser", pod.get("runAsUser")) not in (0, "0"), where
        assert own["allowPrivilegeEscalation"] is False, where
        assert own["readOnlyRootFilesystem"] is True, where
        assert own["capabilities"]["drop"] == ["ALL"], where
        assert own.get("privileged", False) is False, where
        assert spec["automountServiceAccountToken"] is False, where


def test_every_container_requests_cpu_and_memory(rendered):
    for where, _, container in containers(rendered):
        requests = container["resources"]["requests"]
        assert requests.get("cpu") and requests.get("memory"), where


def test_every_long_running_container_has_startup_readiness_and_liveness_probes(rendered):
    deployments = {n: s for n, s in pod_specs(rendered).items() if n.startswith("Deployment/")}
    assert len(deployments) == 3
    for where, spec in deployments.items():
        for container in spec["containers"]:
            port_names = {p["name"] for p in container["ports"]}
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert container[probe]["httpGet"]["port"] in port_names, (where, probe)


def test_rasa_gets_up_to_ten_minutes_to_load_its_model_before_liveness_counts(rendered):
    rasa = next(d for d in of_kind(rendered, "Deployment") if component(d) == "rasa")
    probe = rasa["spec"]["template"]["spec"]["containers"][0]["startupProbe"]
    assert probe["httpGet"]["path"] == "/webhooks/rest/"  # answers only once the model is loaded
    assert probe["periodSeconds"] * probe["failureThreshold"] >= 600


def test_no_rasa_or_action_server_service_is_reachable_from_outside_the_cluster(rendered):
    services = of_kind(rendered, "Service")
    assert {component(s) for s in services} == {"rasa", "action-server", "web-app"}
    for service in services:
        assert service["spec"]["type"] == "ClusterIP", service["metadata"]["name"]
        assert "externalIPs" not in service["spec"] and "loadBalancerIP" not in service["spec"]
    web_service = next(s["metadata"]["name"] for s in services if component(s) == "web-app")
    backends = [path["backend"]["service"]["name"]
                for ingress in of_kind(rendered, "Ingress")
                for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert backends == [web_service]


def test_secrets_reach_containers_only_through_secret_references(rendered):
    secret_names = {s["metadata"]["name"] for s in of_kind(rendered, "Secret")} | {"insatslotsen-credentials"}
    seen = set()
    for where, _, container in containers(rendered):
        for variable in container["env"]:
            if SECRET_NAME.search(variable["name"]):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                assert reference and "value" not in variable, (where, variable["name"])
                assert reference["name"] in secret_names
                seen.add(variable["name"])
            elif "value" in variable:
                # A URL that needs the password takes it from the referenced variable, not inline.
                assert not re.search(r"://[^:/@]+:[^$@][^@]*@", variable["value"]), (where, variable["name"])
    assert {"INSATSLOTSEN_SESSION_SECRET", "INSATSLOTSEN_RASA_JWT_SECRET", "INSATSLOTSEN_TEAMS_APP_PASSWORD",
            "INSATSLOTSEN_OPERATOR_TOKEN", "TRACKER_DB_PASSWORD", "LOCK_STORE_PASSWORD"} <= seen


def test_every_insatslotsen_variable_the_chart_sets_is_a_setting_the_processes_read(rendered):
    # One owner for the settings (assistant/settings.py); the Teams credentials and the JWT secret
    # are read by credentials.yml and assistant/rasa_server.py.
    from assistant.channels.teams_env import teams_env
    from assistant.rasa_server import JWT_SECRET_VARIABLE
    from assistant.settings import Settings

    known = {f"INSATSLOTSEN_{name.upper()}" for name in Settings.__fields__} | set(teams_env({})) | {JWT_SECRET_VARIABLE}
    set_by_chart = {v["name"] for _, _, c in containers(rendered) for v in c["env"] if v["name"].startswith("INSATSLOTSEN_")}
    assert set_by_chart - known == set()
    assert {"INSATSLOTSEN_TRUSTED_PROXY_HOPS", "INSATSLOTSEN_OPERATOR_TOKEN"} <= set_by_chart


def test_production_values_use_the_existing_secret_and_make_none(chart_tools):
    objects = render(PRODUCTION_VALUES)
    assert of_kind(objects, "Secret") == []
    references = {v["valueFrom"]["secretKeyRef"]["name"] for _, _, c in containers(objects)
                  for v in c["env"] if "valueFrom" in v}
    assert references == {"insatslotsen-credentials"}


def test_rasa_runs_the_shared_stores_of_endpoints_replicas_with_one_sanic_worker(rendered):
    config = of_kind(rendered, "ConfigMap")[0]
    assert yaml.safe_load(config["data"]["endpoints.yml"]) == yaml.safe_load(REPLICA_ENDPOINTS.read_text())
    rasa = next(d for d in of_kind(rendered, "Deployment") if component(d) == "rasa")
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    env = {v["name"]: v.get("value") for v in container["env"]}
    assert env["SANIC_WORKERS"] == "1"
    command = container["command"]
    assert command[command.index("--endpoints") + 1] == "/etc/insatslotsen/endpoints.yml"
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/etc/insatslotsen", "/tmp"} <= mounts


def test_a_changed_endpoint_setting_rolls_the_pods(chart_tools):
    def checksums(*sets):
        return {d["metadata"]["name"]: d["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
                for d in of_kind(render(sets=sets), "Deployment")}

    before, after = checksums(), checksums("applicationSettings.endpoints.lockStore.db=${OTHER_DB}")
    assert before.keys() == after.keys() and all(before[name] != after[name] for name in before)
    assert checksums() == before  # the same values give the same checksum


def test_each_process_autoscales_on_cpu_and_keeps_one_pod_through_a_voluntary_disruption(rendered):
    deployments = {d["metadata"]["name"]: d for d in of_kind(rendered, "Deployment")}
    hpas = of_kind(rendered, "HorizontalPodAutoscaler")
    assert hpas and all(h["apiVersion"] == "autoscaling/v2" for h in hpas)
    for hpa in hpas:
        target = deployments[hpa["spec"]["scaleTargetRef"]["name"]]
        assert "replicas" not in target["spec"]  # the autoscaler owns the count
        assert hpa["spec"]["minReplicas"] >= 2
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    budgets = {component(p): p for p in of_kind(rendered, "PodDisruptionBudget")}
    assert set(budgets) == {"rasa", "action-server", "web-app"}
    for deployment in deployments.values():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        budget = budgets[component(deployment)]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert {s["topologyKey"] for s in spread} == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
        assert all(s["labelSelector"]["matchLabels"].items() <= labels.items() for s in spread)
        strategy = deployment["spec"]["strategy"]["rollingUpdate"]
        assert strategy["maxUnavailable"] == 0


def test_network_policies_let_only_the_web_app_reach_rasa_and_only_rasa_and_readiness_the_action_server(rendered):
    policies = {component(p): p for p in of_kind(rendered, "NetworkPolicy")}
    assert set(policies) == {"rasa", "action-server", "web-app"}

    def allowed(name):
        return [peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
                for rule in policies[name]["spec"]["ingress"] for peer in rule["from"]]

    assert allowed("rasa") == ["web-app"]
    # The web app's /api/ready asks the action server's /health (assistant/readiness.py).
    assert allowed("action-server") == ["rasa", "web-app"]
    assert all(peer.get("namespaceSelector") for rule in policies["web-app"]["spec"]["ingress"]
               for peer in rule["from"])
    for policy in policies.values():
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        assert policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == component(policy)


def test_the_ingress_keeps_websockets_open_and_pins_a_browser_to_one_web_app_pod(rendered):
    annotations = of_kind(rendered, "Ingress")[0]["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"


@pytest.mark.parametrize("assignment, complaint", [
    ("service.type=LoadBalancer", "/service/type"),
    ("secrets.sessionSecret=too-short", "/secrets/sessionSecret"),
    ("securityContext.allowPrivilegeEscalation=true", "/securityContext/allowPrivilegeEscalation"),
    ("rasa.extraEnv[0].name=DB_PASSWORD,rasa.extraEnv[0].value=hunter2", "/rasa/extraEnv/0"),
    ("applicationSettings.allowedOrigins[0]=intranat.example", "/applicationSettings/allowedOrigins/0"),
    ("rasa.resources.requests=null", "/rasa/resources"),
])
def test_the_values_schema_refuses_unsafe_or_malformed_values(chart_tools, assignment, complaint):
    with pytest.raises(RuntimeError) as refused:
        render_text(sets=(assignment,))
    assert complaint in str(refused.value)
