"""The Teams webhook after authentication, in-process against the Bot Framework stand-in (no Rasa
model needed): channel pinned to msteams, tenant allow-list, a turn budget per conversation,
redeliveries run no second turn, the webhook answers before the turn ends, odd fields are no 500."""
from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from assistant.channels.botframework import ONLY_TEXT, TeamsInput, activities_url
from assistant.channels.seen_activities import MemorySeenActivities, RedisSeenActivities, seen_activities
from assistant.settings import get_settings
from tests.teams.conftest import APP_ID, APP_PASSWORD
from tests.stores.conftest import redis_server  # noqa: F401 - a fixture
from tests.teams.standin import BotFrameworkStandIn

TENANT = "tenant-0000"


@dataclass
class FakeRequest:
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeRasa:
    """on_new_message: records each turn and answers it, optionally after `release` is set."""
    turns: list[Any] = field(default_factory=list)
    release: asyncio.Event | None = None

    async def __call__(self, message) -> None:
        self.turns.append(message)
        if self.release is not None:
            await self.release.wait()
        await message.output_channel.send_text_message(message.sender_id, "svar")


@pytest.fixture(scope="module")
def standin():
    server = BotFrameworkStandIn(APP_ID, APP_PASSWORD)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def channel(standin, monkeypatch) -> TeamsInput:
    monkeypatch.setenv("INSATSLOTSEN_TEAMS_ALLOWED_TENANTS", TENANT)
    monkeypatch.setenv("INSATSLOTSEN_TEAMS_TURNS_PER_MINUTE", "6")
    get_settings.cache_clear()
    try:
        channel = TeamsInput(APP_ID, APP_PASSWORD, standin.token_url, standin.metadata_url, "127.0.0.1", reply_timeout=5)
    finally:
        get_settings.cache_clear()
    return channel


def webhook(channel: TeamsInput, rasa: FakeRasa):
    blueprint = channel.blueprint(rasa)
    return next(route.handler for route in blueprint._future_routes if route.uri == "/webhook")


async def post(handler, standin, activity: dict, token: str | None = None):
    token = standin.token(activity["serviceUrl"]) if token is None else token
    response = await handler(FakeRequest({"Authorization": f"Bearer {token}"}, json.dumps(activity).encode()))
    return response.status, json.loads(response.body)


async def settle(channel: TeamsInput) -> None:
    while channel._running:
        await asyncio.sleep(0.01)


def run(coroutine):
    return asyncio.run(coroutine)


def test_an_activity_from_another_channel_is_refused_even_with_a_key_endorsed_for_it(channel, standin):
    rasa = FakeRasa()

    async def scenario():
        handler = webhook(channel, rasa)
        return await post(handler, standin, standin.message("hej", channelId="emulator"))

    status, body = run(scenario())
    assert status == 403 and body == {"error": "channel not served"}
    assert rasa.turns == []


@pytest.mark.parametrize("channel_data", [
    {"tenant": {"id": "another-tenant"}}, {}, {"tenant": "tenant-0000"}, "tenant-0000", None,
])
def test_an_activity_from_a_tenant_not_allowed_is_refused(channel, standin, channel_data):
    rasa = FakeRasa()

    async def scenario():
        return await post(webhook(channel, rasa), standin, standin.message("hej", channelData=channel_data))

    status, body = run(scenario())
    assert status == 403 and body == {"error": "tenant not allowed"}
    assert rasa.turns == []


def test_without_an_allowed_tenant_configured_every_activity_is_refused(standin, monkeypatch):
    for name in ("INSATSLOTSEN_TEAMS_ALLOWED_TENANTS", "INSATSLOTSEN_TEAMS_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    try:
        channel = TeamsInput(APP_ID, APP_PASSWORD, standin.token_url, standin.metadata_url, "127.0.0.1")
    finally:
        get_settings.cache_clear()
    status, _ = run(post(webhook(channel, FakeRasa()), standin, standin.message("hej")))
    assert status == 403


def test_a_redelivered_activity_is_acknowledged_without_a_second_turn(channel, standin):
    rasa = FakeRasa()
    activity = standin.message("hej", f"a:teams-{uuid.uuid4().hex}")

    async def scenario():
        handler = webhook(channel, rasa)
        first = await post(handler, standin, activity)
        await settle(channel)
        again = await post(handler, standin, activity)
        await settle(channel)
        return first, again

    first, again = run(scenario())
    assert first == (202, {"status": "accepted"})
    assert again == (200, {"status": "duplicate"})
    assert len(rasa.turns) == 1


def test_the_webhook_answers_at_once_and_the_reply_follows_when_the_turn_ends(channel, standin):
    conversation = f"a:teams-{uuid.uuid4().hex}"

    async def scenario():
        rasa = FakeRasa(release=asyncio.Event())
        handler = webhook(channel, rasa)
        status, _ = await asyncio.wait_for(post(handler, standin, standin.message("hej", conversation)), 10)
        replies_while_running = len(standin.replies(conversation))
        rasa.release.set()
        await settle(channel)
        return status, replies_while_running

    status, replies_while_running = run(scenario())
    assert status == 202 and replies_while_running == 0
    assert [r["text"] for r in standin.replies(conversation)] == ["svar"]


@pytest.mark.parametrize("text", [5, ["hej"], {"text": "hej"}, True, None])
def test_an_activity_whose_text_is_not_a_string_is_answered_in_swedish_not_with_a_500(channel, standin, text):
    conversation = f"a:teams-{uuid.uuid4().hex}"
    rasa = FakeRasa()

    async def scenario():
        status = await post(webhook(channel, rasa), standin, {**standin.message(None, conversation), "text": text})
        await settle(channel)
        return status

    status, _ = run(scenario())
    assert status == 202 and rasa.turns == []
    assert [r["text"] for r in standin.replies(conversation)] == [ONLY_TEXT]


@pytest.mark.parametrize("odd", [
    {"conversation": {"id": 42}}, {"conversation": {"id": "x" * 600}}, {"id": None}, {"id": ["a"]},
    {"from": "29:someone"}, {"conversation": "a:teams"}, {"recipient": None},
])
def test_odd_activity_fields_are_a_4xx_or_answered_never_a_server_error(channel, standin, odd):
    async def scenario():
        status = await post(webhook(channel, FakeRasa()), standin, {**standin.message("hej"), **odd})
        await settle(channel)
        return status

    status, _ = run(scenario())
    assert status in {202, 400}
    assert channel.errors["processing"] == 0


def test_a_conversation_over_its_turn_budget_is_refused_after_authentication(channel, standin):
    conversation = f"a:teams-{uuid.uuid4().hex}"
    rasa = FakeRasa()

    async def scenario():
        handler = webhook(channel, rasa)
        unauthenticated = [await post(handler, standin, standin.message("hej", conversation), token="x") for _ in range(10)]
        statuses = [(await post(handler, standin, standin.message(f"hej {i}", conversation)))[0] for i in range(4)]
        other = await post(handler, standin, standin.message("hej"))
        await settle(channel)
        return [s for s, _ in unauthenticated], statuses, other[0]

    unauthenticated, statuses, other = run(scenario())
    assert set(unauthenticated) == {401}, "refused before the budget is touched"
    assert statuses == [202, 202, 429, 429]  # 6 a minute, 2 at once
    assert other == 202, "another conversation has its own budget"


def test_the_conversation_id_is_encoded_whole_in_the_reply_url():
    url = activities_url("https://smba.trafficmanager.net/emea/", "a:1/../../v3/conversations/other?x=#y")
    assert url == ("https://smba.trafficmanager.net/emea/v3/conversations/"
                   "a%3A1%2F..%2F..%2Fv3%2Fconversations%2Fother%3Fx%3D%23y/activities")


def test_activity_ids_are_remembered_for_an_hour_and_then_forgotten():
    clock = [0.0]
    seen = MemorySeenActivities(remember_seconds=3600, clock=lambda: clock[0])
    assert seen.first_time("a") and not seen.first_time("a")
    clock[0] = 3601
    assert seen.first_time("a")


def test_replicas_configured_with_redis_recognise_each_others_redeliveries(redis_server, monkeypatch):
    for name, value in {"LOCK_STORE_HOST": "127.0.0.1", "LOCK_STORE_PORT": str(redis_server.port),
                        "LOCK_STORE_PASSWORD": "", "LOCK_STORE_DB": "0"}.items():
        monkeypatch.setenv(name, value)
    one, two = seen_activities("endpoints.replicas.yml"), seen_activities("endpoints.replicas.yml")
    assert isinstance(one, RedisSeenActivities)
    activity_id = uuid.uuid4().hex
    assert one.first_time(activity_id)
    assert not two.first_time(activity_id), "the other replica sees the id taken"
    assert isinstance(seen_activities("endpoints.yml"), MemorySeenActivities), "one process: memory"
