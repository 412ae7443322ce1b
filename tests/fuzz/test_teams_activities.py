"""Property-based fuzzing of the Teams webhook after authentication: activities with every field
replaced by arbitrary JSON, signed by the stand-in's key as Microsoft would sign them. The
webhook answers each with a 2xx or 4xx, never a 5xx, and no turn fails while being processed."""
from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.channels.botframework import TeamsInput
from assistant.settings import get_settings
from tests.teams.conftest import APP_ID, APP_PASSWORD
from tests.teams.test_teams_admission import TENANT, FakeRasa, post, settle, standin, webhook  # noqa: F401 - standin: a fixture

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
FIELDS = ["type", "id", "text", "value", "from", "conversation", "recipient", "channelData", "attachments",
          "entities", "replyToId", "locale", "timestamp"]


@pytest.fixture(scope="module")
def channel(standin) -> TeamsInput:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSATSLOTSEN_TEAMS_ALLOWED_TENANTS", TENANT)
        env.setenv("INSATSLOTSEN_TEAMS_TURNS_PER_MINUTE", "0")
        get_settings.cache_clear()
        try:
            return TeamsInput(APP_ID, APP_PASSWORD, standin.token_url, standin.metadata_url, "127.0.0.1", reply_timeout=5)
        finally:
            get_settings.cache_clear()


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(replaced=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4),
       value=st.none() | st.dictionaries(st.sampled_from(["feedback", "question", "answer", "passage_id", "versions"]),
                                         json_values | st.sampled_from(["up", "down"]), max_size=5))
def test_no_authenticated_activity_is_a_server_error_or_a_failed_turn(channel, standin, replaced, value, tmp_path_factory):
    activity = {**standin.message("hej"), **replaced}
    if value is not None:
        activity["value"] = value
    rasa = FakeRasa()

    async def scenario():
        status, _ = await post(webhook(channel, rasa), standin, activity)
        await settle(channel)
        return status

    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSATSLOTSEN_FEEDBACK_DB", f"sqlite:///{tmp_path_factory.getbasetemp() / 'teams-fuzz-feedback.db'}")
        get_settings.cache_clear()
        try:
            status = asyncio.run(scenario())
        finally:
            get_settings.cache_clear()
    assert status in {200, 202, 400, 403}, activity
    assert channel.errors["processing"] == 0, activity
