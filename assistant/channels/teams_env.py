"""The environment variables credentials.yml reads for the Teams channel, and their defaults.

Rasa refuses to start when a `${VARIABLE}` in credentials.yml is unset, so the process starter
fills in these defaults: without an app id the channel refuses every request.
"""
from collections.abc import Mapping

TEAMS_ENV_DEFAULTS = {
    "INSATSLOTSEN_TEAMS_APP_ID": "",
    "INSATSLOTSEN_TEAMS_APP_PASSWORD": "",
    # Directory (tenant) id of a single-tenant bot; empty means multi-tenant (botframework.com).
    "INSATSLOTSEN_TEAMS_TENANT_ID": "",
    # Overrides the token URL built from the tenant id (a sovereign cloud, or a local stand-in).
    "INSATSLOTSEN_TEAMS_TOKEN_URL": "",
    "INSATSLOTSEN_TEAMS_OPENID_METADATA_URL": "https://login.botframework.com/v1/.well-known/openidconfiguration",
    # Comma-separated hosts a reply may be posted to (the activity's serviceUrl).
    "INSATSLOTSEN_TEAMS_SERVICE_URL_HOSTS": "smba.trafficmanager.net",
}


def teams_env(environ: Mapping[str, str]) -> dict[str, str]:
    return {name: environ.get(name, default) for name, default in TEAMS_ENV_DEFAULTS.items()}
