"""The signing-key cache against the stand-in's metadata and keys endpoints.

Rasa 3.6 fetched keys once in its constructor and then daily; a key Microsoft rolls over in
between is refused until then, and a down metadata endpoint stops the channel from starting.
"""
import asyncio

import pytest

from assistant.channels import botframework_auth
from assistant.channels.botframework_auth import KeysUnavailable, SigningKeys, service_url_allowed
from assistant.processes import free_port
from tests.teams.standin import TEAMS_KID, BotFrameworkStandIn, _jwk


@pytest.fixture
def standin():
    server = BotFrameworkStandIn("app", "secret")
    server.start()
    yield server
    server.stop()


def test_keys_are_fetched_on_first_use_and_cached(standin):
    keys = SigningKeys(standin.metadata_url)
    assert standin.of_kind("metadata") == []

    async def twice():
        return await keys.get(TEAMS_KID), await keys.get(TEAMS_KID)

    first, second = asyncio.run(twice())
    assert first["kid"] == TEAMS_KID and first == second
    assert len(standin.of_kind("metadata")) == 1 and len(standin.of_kind("keys")) == 1


def test_an_unknown_kid_refetches_after_an_hour_but_not_before(standin, monkeypatch):
    keys = SigningKeys(standin.metadata_url)
    clock = [1000.0]
    monkeypatch.setattr(botframework_auth.time, "monotonic", lambda: clock[0])

    async def scenario():
        await keys.get(TEAMS_KID)
        standin.published.append(_jwk(standin.keys[TEAMS_KID], "rolled-over", ["msteams"]))
        clock[0] += 600
        within_the_hour = await keys.get("rolled-over")
        clock[0] += botframework_auth.UNKNOWN_KID_REFRESH_SECONDS
        after_the_hour = await keys.get("rolled-over")
        return within_the_hour, after_the_hour

    within_the_hour, after_the_hour = asyncio.run(scenario())
    assert within_the_hour is None
    assert after_the_hour["kid"] == "rolled-over"
    assert len(standin.of_kind("metadata")) == 2


def test_unreachable_keys_are_reported_as_unavailable_not_as_a_crash():
    keys = SigningKeys(f"http://127.0.0.1:{free_port()}/openid", timeout=2)
    with pytest.raises(KeysUnavailable):
        asyncio.run(keys.get(TEAMS_KID))


@pytest.mark.parametrize("url, allowed", [
    ("https://smba.trafficmanager.net/emea/", True),
    ("http://smba.trafficmanager.net/emea/", False),
    ("https://smba.trafficmanager.net.evil.example/", False),
    ("https://evil.example/?x=smba.trafficmanager.net", False),
    ("http://127.0.0.1:3978/", True),
])
def test_replies_go_only_to_allowed_service_url_hosts(url, allowed):
    hosts = frozenset({"smba.trafficmanager.net", "127.0.0.1"})
    assert service_url_allowed(url, hosts) is allowed


def test_after_a_failed_key_fetch_requests_wait_for_a_growing_back_off_instead_of_refetching(monkeypatch):
    attempts = []
    keys = SigningKeys(f"http://127.0.0.1:{free_port()}/openid", timeout=2)
    fetch = keys._fetch

    async def counted_fetch():
        attempts.append(clock[0])
        await fetch()

    clock = [1000.0]
    monkeypatch.setattr(botframework_auth.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(keys, "_fetch", counted_fetch)

    async def flood(times: int) -> None:
        for _ in range(times):
            with pytest.raises(KeysUnavailable):
                await keys.get(TEAMS_KID)

    asyncio.run(flood(20))
    assert len(attempts) == 1, "twenty requests right after a failure: one fetch"
    clock[0] += botframework_auth.FIRST_BACKOFF_SECONDS
    asyncio.run(flood(20))
    assert len(attempts) == 2
    clock[0] += botframework_auth.FIRST_BACKOFF_SECONDS  # the second back-off is twice as long
    asyncio.run(flood(5))
    assert len(attempts) == 2
    clock[0] += botframework_auth.MAX_BACKOFF_SECONDS
    asyncio.run(flood(1))
    assert len(attempts) == 3


def test_keys_arriving_after_a_failure_end_the_back_off(standin, monkeypatch):
    keys = SigningKeys(standin.metadata_url)
    clock = [1000.0]
    monkeypatch.setattr(botframework_auth.time, "monotonic", lambda: clock[0])
    url, keys.metadata_url = keys.metadata_url, f"http://127.0.0.1:{free_port()}/openid"
    with pytest.raises(KeysUnavailable):
        asyncio.run(keys.get(TEAMS_KID))
    keys.metadata_url = url
    clock[0] += botframework_auth.FIRST_BACKOFF_SECONDS
    assert asyncio.run(keys.get(TEAMS_KID))["kid"] == TEAMS_KID
