"""Origin allow-list, body cap and rate limit in front of the public endpoints."""
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from assistant.http_guards import BodySizeCap, OriginAllowList, RateLimit

OURS = "https://intranat.stockholm.se"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guarded_app(clock: Clock, per_minute: int = 60, burst: int = 3, trusted: list[str] = (), hops: int = 1) -> TestClient:
    app = FastAPI()

    @app.post("/api/echo")
    async def echo(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    @app.post("/webhooks/botframework/webhook")
    def teams() -> dict:
        return {}

    @app.get("/api/health")
    def health() -> dict:
        return {"status": "ok"}

    app.add_middleware(BodySizeCap, max_bytes=1024)
    app.add_middleware(OriginAllowList, allowed_origins=[OURS])
    app.add_middleware(RateLimit, per_minute=per_minute, burst=burst, trusted_proxies=list(trusted),
                       trusted_proxy_hops=hops, clock=clock)
    return TestClient(app)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_write_from_a_foreign_page_is_refused_before_it_acts(clock):
    client = guarded_app(clock)
    refused = client.post("/api/echo", content=b"x", headers={"origin": "https://evil.example"})
    assert refused.status_code == 403 and "webbplats" in refused.json()["detail"]
    assert client.post("/api/echo", content=b"x", headers={"origin": OURS}).status_code == 200
    assert client.post("/api/echo", content=b"x").status_code == 200  # same-origin and server-side callers send none


def test_an_oversized_body_is_a_413_in_swedish_whether_declared_or_streamed(clock):
    client = guarded_app(clock)
    assert client.post("/api/echo", content=b"x" * 1024).json() == {"bytes": 1024}
    declared = client.post("/api/echo", content=b"x" * 1025)
    assert declared.status_code == 413 and "för stor" in declared.json()["detail"]
    streamed = client.post("/api/echo", content=iter([b"x" * 600, b"x" * 600]))
    assert streamed.status_code == 413


def test_a_client_over_its_burst_waits_and_is_told_when_to_retry(clock):
    client = guarded_app(clock, per_minute=60, burst=3)
    assert [client.post("/api/echo", content=b"").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.post("/api/echo", content=b"")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    assert "Vänta" in limited.json()["detail"]
    clock.now += 1.0
    assert client.post("/api/echo", content=b"").status_code == 200


def test_health_checks_and_the_authenticated_teams_webhook_are_never_rate_limited(clock):
    client = guarded_app(clock, burst=1)
    assert all(client.get("/api/health").status_code == 200 for _ in range(10))
    assert all(client.post("/webhooks/botframework/webhook").status_code == 200 for _ in range(10))


def test_forwarded_for_counts_only_from_a_trusted_proxy(clock):
    behind_proxy = guarded_app(clock, burst=1, trusted=["testclient"])
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "10.0.0.1"}).status_code == 200
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "10.0.0.2"}).status_code == 200
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "10.0.0.1"}).status_code == 429

    direct = guarded_app(clock, burst=1)
    assert direct.post("/api/echo", headers={"x-forwarded-for": "10.0.0.1"}).status_code == 200
    # Forging another address does not buy a new bucket when the peer is not a trusted proxy.
    assert direct.post("/api/echo", headers={"x-forwarded-for": "10.0.0.9"}).status_code == 429


def test_behind_one_proxy_the_right_most_entry_is_the_client_whatever_it_wrote_on_the_left(clock):
    behind_proxy = guarded_app(clock, burst=1, trusted=["testclient"])
    # The client forges a new left-most address each time; the proxy appends the real one.
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "1.1.1.1, 10.0.0.5"}).status_code == 200
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "2.2.2.2, 10.0.0.5"}).status_code == 429
    assert behind_proxy.post("/api/echo", headers={"x-forwarded-for": "10.0.0.6"}).status_code == 200, \
        "another user behind the same proxy has a bucket of their own"


def test_behind_two_proxies_the_entry_two_from_the_right_is_the_client(clock):
    app = guarded_app(clock, burst=1, trusted=["testclient"], hops=2)
    # Outer proxy appended the client (10.0.0.5); the inner one appended the outer proxy (172.16.0.2).
    assert app.post("/api/echo", headers={"x-forwarded-for": "6.6.6.6, 10.0.0.5, 172.16.0.2"}).status_code == 200
    assert app.post("/api/echo", headers={"x-forwarded-for": "7.7.7.7, 10.0.0.5, 172.16.0.2"}).status_code == 429
    assert app.post("/api/echo", headers={"x-forwarded-for": "10.0.0.6, 172.16.0.2"}).status_code == 200

