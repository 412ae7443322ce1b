"""Property-based fuzzing of every HTTP endpoint of the app, documented or not: whatever the
method, path parameter, query, headers and body, the answer is never a 5xx other than the
documented 503s (Rasa or a store unreachable). Documented operations are also generated from
the app's own OpenAPI schema (schemathesis); the rest by hand-written strategies below."""
from __future__ import annotations

import json
import string

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# 503 is how the app says "the search index, Rasa or a store is not there" - an answer, not a crash.
ANSWERED = set(range(100, 500)) | {503}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["sender", "message", "token", "rating", "question", "answer", "channel",
                                     "passage_id", "versions", "alder", "type", "text"]), json_values,
                    max_size=5).map(lambda v: json.dumps(v).encode()),
)
headers = st.fixed_dictionaries({}, optional={
    "authorization": st.one_of(st.just("Bearer "), odd_text.map(lambda t: "Bearer " + t), odd_text),
    "content-type": st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                     "multipart/form-data; boundary=x", "application/json; charset=latin-1"]),
    "x-forwarded-for": st.text(alphabet=string.printable, max_size=40),
    "origin": st.sampled_from(["http://127.0.0.1:8000", "http://evil.example", "null"]),
}).map(lambda h: {k: v.encode("utf-8", "replace") for k, v in h.items()})  # raw bytes, as a client may send
queries = st.dictionaries(st.sampled_from(["q", "on", "k", "limit", "doc", "EIO", "transport", "x"]), odd_text, max_size=3)
path_parameters = st.one_of(odd_text, st.sampled_from(["002-4.2.3-1", "..", "%2e%2e", "a" * 300]))

POSTS = ["/api/chat", "/api/session", "/api/check", "/api/feedback", "/webhooks/botframework/webhook"]
GETS = ["/api/health", "/api/ready", "/api/search", "/api/interventions", "/api/passages", "/socket.io/", "/"]


def _path(template: str, parameter: str) -> str:
    from urllib.parse import quote

    return template.replace("{id}", quote(parameter, safe=""))


@FUZZ
@given(path=st.sampled_from(POSTS), body=bodies, headers=headers, query=queries)
def test_no_post_to_any_endpoint_is_a_server_error(client, path, body, headers, query):
    response = client.post(path, content=body, headers=headers, params=query)
    assert response.status_code in ANSWERED, (path, response.status_code, response.text[:200])


@FUZZ
@given(path=st.sampled_from(GETS + ["/api/passages/{id}", "/passage/{id}"]), parameter=path_parameters,
       headers=headers, query=queries)
def test_no_get_of_any_endpoint_is_a_server_error(client, path, parameter, headers, query):
    response = client.get(_path(path, parameter), headers=headers, params=query)
    assert response.status_code in ANSWERED, (path, response.status_code, response.text[:200])


@FUZZ
@given(body=st.dictionaries(st.sampled_from(["sender", "message"]), json_values | odd_text, max_size=2)
       | st.fixed_dictionaries({"sender": st.just("SESSION"), "message": odd_text}))
def test_chat_with_a_valid_token_and_any_body_is_never_a_server_error(client, session, body):
    if body.get("sender") == "SESSION":
        body = {**body, "sender": session["session_id"]}
    response = client.post("/api/chat", json=body, headers={"Authorization": f"Bearer {session['token']}"})
    assert response.status_code in ANSWERED, (response.status_code, response.text[:200])


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_the_schema_allows_or_nearly_allows_is_a_server_error(case):
    response = case.call()
    assert response.status_code in ANSWERED, (case.method, case.path, response.status_code, response.text[:200])
