"""Microsoft Teams through Rasa's botframework channel, with what Rasa 3.6 leaves open closed.

Configured in credentials.yml as `assistant.channels.botframework.TeamsInput`; served at the same
path as Rasa's own channel, /webhooks/botframework/webhook (the FastAPI app proxies it).

Differences from rasa.core.channels.botframework:
- every request is authenticated as botbuilder does (botframework_auth.py); a refused request
  gets 401, never 200 or 500, and the channel starts without reaching Microsoft;
- after authentication: `channelId` must be msteams, `channelData.tenant.id` one of the allowed
  tenants (INSATSLOTSEN_TEAMS_ALLOWED_TENANTS), each conversation has a turn budget, and an
  activity id already taken in is acknowledged without a second turn (seen_activities.py);
- the webhook answers 202 at once and the turn and its replies follow in the background: the
  Bot Connector waits only seconds, a turn that reaches the knowledge base can take longer;
- the reply token comes from a configurable (tenant-specific) token URL, and replies are posted
  asynchronously with a timeout;
- a message that fails to be processed or answered is counted and logged (GET
  /webhooks/botframework/ shows the counts and the turns still running);
- identifiers are masked before Rasa sees the text; the sender is the Teams conversation, and no
  user name or attachment is kept as metadata;
- buttons, recommendations and 👍/👎 are Teams cards (teams_cards.py).
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import Counter
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Mapping
from urllib.parse import quote

import httpx
from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import teams_cards
from assistant.channels.botframework_auth import (
    ActivityAuthenticator, AuthError, KeysUnavailable, SigningKeys, bearer_token,
)
from assistant.channels.seen_activities import SeenActivities, SeenUnavailable, seen_activities
from assistant.http_guards import Buckets
from assistant.settings import get_settings
from assistant.stores.health import run_turn_or_tell_store_disturbed
from assistant.user_input import Incoming, WarnedSenders, incoming

logger = logging.getLogger(__name__)

MICROSOFT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Multi-tenant bots use the botframework.com tenant; new Azure bots are single-tenant.
TOKEN_URL_TEMPLATE = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
MULTI_TENANT = "botframework.com"
TOKEN_SCOPE = "https://api.botframework.com/.default"
DEFAULT_SERVICE_URL_HOSTS = "smba.trafficmanager.net"
TOKEN_RENEW_MARGIN_SECONDS = 300
_MENTION = re.compile(r"<at>.*?</at>", re.DOTALL)
TEAMS_CHANNEL = "msteams"
# Teams conversation ids are a few hundred characters at most; anything longer is not Teams'.
MAX_ID_CHARS = 512

FEEDBACK_THANKS = "Tack för återkopplingen!"
ONLY_TEXT = "Jag kan bara läsa textmeddelanden. Skriv din fråga som text."


class ReplyFailed(Exception):
    pass


class Connector:
    """Posts activities to the Bot Connector with an app token from the configured token URL."""

    def __init__(self, app_id: str, app_password: str, token_url: str, timeout: float) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.token_url = token_url
        self.timeout = timeout
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = asyncio.Lock()

    async def _access_token(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._token_expires:
                reply = await client.post(self.token_url, data={
                    "grant_type": "client_credentials",
                    "client_id": self.app_id,
                    "client_secret": self.app_password,
                    "scope": TOKEN_SCOPE,
                })
                if reply.status_code != HTTPStatus.OK:
                    raise ReplyFailed(f"token endpoint answered {reply.status_code}")
                body = reply.json()
                self._token = body["access_token"]
                lifetime = int(body.get("expires_in", 3600))
                self._token_expires = time.monotonic() + max(lifetime - TOKEN_RENEW_MARGIN_SECONDS, 0)
            return self._token

    async def post_activity(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> None:
        url = activities_url(service_url, conversation_id)
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                token = await self._access_token(client)
                reply = await client.post(url, json=activity, headers={"Authorization": f"Bearer {token}"})
        except (httpx.HTTPError, ValueError, KeyError) as error:
            raise ReplyFailed(repr(error)) from error
        if reply.is_error:
            raise ReplyFailed(f"Bot Connector answered {reply.status_code}")


def activities_url(service_url: str, conversation_id: str) -> str:
    # The id comes from the activity: encoded whole, so "/", "?" or "#" in it cannot point the
    # reply (which carries our access token) at another path of the Bot Connector.
    return f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _short_string(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS


class TeamsOutput(BotFramework):
    """Replies to one incoming activity; failures are collected for the webhook to report."""

    def __init__(self, connector: Connector, activity: Mapping[str, Any], question: str) -> None:
        super().__init__(
            connector.app_id, "", activity["conversation"], activity["recipient"], activity["serviceUrl"],
        )
        self.connector = connector
        self.activity = activity
        self.question = question
        self.failures: list[str] = []

    def prepare_message(self, recipient_id: str, message_data: dict[str, Any]) -> dict[str, Any]:
        data = {
            "type": "message",
            "from": {"id": self.bot.get("id")},
            "recipient": {"id": _mapping(self.activity.get("from")).get("id")},
            "conversation": {"id": self.conversation["id"]},
            "replyToId": self.activity.get("id"),
            "textFormat": "markdown",
            "text": "",
        }
        data.update(message_data)
        return data

    async def send(self, message_data: dict[str, Any]) -> None:
        try:
            await self.connector.post_activity(self.activity["serviceUrl"], self.conversation["id"], message_data)
        except ReplyFailed as error:
            self.failures.append(str(error))

    async def reply(self, text: str = "", attachments: list[dict[str, Any]] | None = None) -> None:
        # Teams' markdown joins single line breaks; the bot's texts use them for lists.
        message: dict[str, Any] = {"text": text.replace("\n", "\n\n")}
        if attachments:
            message["attachments"] = attachments
        await self.send(self.prepare_message("", message))

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        text = message.get("text") or ""
        buttons = message.get("buttons") or message.get("quick_replies")
        custom = message.get("custom")
        if teams_cards.is_check_result(custom):
            # The card carries the whole recommendation; the same text beside it would say it twice.
            await self.reply(attachments=[teams_cards.recommendation_card(custom, self.question, text)])
        elif buttons:
            await self.reply(attachments=[teams_cards.hero_card(text, buttons)])
        elif isinstance(custom, Mapping) and custom.get("quotes"):
            await self.reply(text, [teams_cards.feedback_card(self.question, text, custom)])
        elif text:
            await self.reply(text)
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.reply(text)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list, **kwargs: Any) -> None:
        await self.reply(attachments=[teams_cards.hero_card(text, buttons)])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"custom": json_message})


def _host_set(hosts: str | list[str] | None) -> frozenset[str]:
    items = hosts.split(",") if isinstance(hosts, str) else (hosts or [])
    return frozenset(host.strip().lower() for host in items if host and host.strip())


class TeamsInput(BotFrameworkInput):
    """Rasa's botframework input channel, authenticated and answered as botbuilder would."""


    @classmethod
    def name(cls) -> str:
        return "botframework"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        tenant = (credentials.get("tenant_id") or "").strip() or MULTI_TENANT
        return cls(
            app_id=(credentials.get("app_id") or "").strip(),
            app_password=credentials.get("app_password") or "",
            token_url=(credentials.get("token_url") or "").strip() or TOKEN_URL_TEMPLATE.format(tenant=tenant),
            openid_metadata_url=(credentials.get("openid_metadata_url") or "").strip() or MICROSOFT_OPENID_METADATA_URL,
            service_url_hosts=credentials.get("service_url_hosts") or DEFAULT_SERVICE_URL_HOSTS,
            reply_timeout=float(credentials.get("reply_timeout") or 10),
        )

    def _configure_from_settings(self) -> None:
        # Counted per channel (one per process) and shown by GET /webhooks/botframework/.
        self.errors: Counter = Counter()
        self.turns: Counter = Counter()
        settings = get_settings()
        self.allowed_tenants = frozenset(settings.teams_allowed_tenants)
        self.turn_budget = Buckets(settings.teams_turns_per_minute, max(settings.teams_turns_per_minute // 3, 1))
        self.seen: SeenActivities = seen_activities(settings.endpoints_file)
        self._running: set[asyncio.Task] = set()
        if self.app_id and not self.allowed_tenants:
            logger.warning("Teams channel has no allowed tenant (INSATSLOTSEN_TEAMS_ALLOWED_TENANTS or "
                           "INSATSLOTSEN_TEAMS_TENANT_ID); it refuses every activity.")

    def __init__(
        self,
        app_id: str,
        app_password: str,
        token_url: str,
        openid_metadata_url: str,
        service_url_hosts: str | list[str],
        reply_timeout: float = 10.0,
    ) -> None:
        # Not super().__init__: Rasa's fetches Microsoft's keys right here, so it cannot start offline.
        self.app_id = app_id
        self.app_password = app_password
        self.connector = Connector(app_id, app_password, token_url, reply_timeout)
        self.authenticator = ActivityAuthenticator(
            app_id, SigningKeys(openid_metadata_url, reply_timeout), _host_set(service_url_hosts),
        )
        self.warned = WarnedSenders()
        self._configure_from_settings()
        if not app_id:
            logger.warning("Teams channel has no app id (INSATSLOTSEN_TEAMS_APP_ID); it refuses every request.")

    def _refuse(self, kind: str, status: int, reason: str, detail: str) -> HTTPResponse:
        self.errors[kind] += 1
        logger.warning("Bot Framework request refused (%s): %s", kind, detail)
        return response.json({"error": reason}, status=status)

    async def _store_feedback(self, value: Mapping[str, Any]) -> None:
        from assistant.feedback import Feedback, record_feedback

        # The value comes back from the client: bound what is stored, as POST /api/feedback does.
        passage_id = value.get("passage_id")
        versions = value.get("versions")
        feedback = Feedback(
            rating=value["feedback"],
            question=str(value.get("question") or "")[:4000],
            answer=str(value.get("answer") or "")[:20000],
            channel="teams",
            passage_id=str(passage_id)[:64] if passage_id else None,
            versions={str(k): None if v is None else str(v) for k, v in versions.items()} if isinstance(versions, Mapping) else {},
        )
        # A blocking database write; keep it off the event loop that serves every conversation.
        await asyncio.to_thread(record_feedback, feedback)

    async def handle_activity(
        self, activity: Mapping[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """One turn, in the background of the webhook; every failure is counted and logged."""
        try:
            out = await self._turn(activity, on_new_message)
        except Exception as error:  # noqa: BLE001 – nothing may fail unseen in a background task
            self.errors["processing"] += 1
            logger.error("Teams message could not be processed: %s", type(error).__name__, exc_info=error)
            return
        finally:
            self.turns["processed"] += 1
        if out.failures:
            self.errors["reply"] += 1
            logger.error("Teams reply not delivered (%d of the replies): %s", len(out.failures), out.failures[0])

    async def _turn(
        self, activity: Mapping[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> TeamsOutput:
        conversation_id = activity["conversation"]["id"]
        feedback = teams_cards.feedback_of(activity)
        text = activity.get("text")
        text = _MENTION.sub("", text) if isinstance(text, str) else ""
        try:
            message, refusal = incoming(text), None
        except ValueError as error:
            message, refusal = Incoming("", frozenset()), ONLY_TEXT if not text.strip() else str(error)
        out = TeamsOutput(self.connector, activity, message.text)
        if feedback is not None:
            await self._store_feedback(feedback)
            await out.reply(FEEDBACK_THANKS)
        elif refusal:
            await out.reply(refusal)
        else:
            notice = self.warned.notice_for(conversation_id, message.kinds)
            if notice:
                await out.reply(notice)
            await run_turn_or_tell_store_disturbed(
                lambda: on_new_message(UserMessage(
                    text=message.text,
                    output_channel=out,
                    sender_id=conversation_id,
                    input_channel=self.name(),
                    message_id=activity["id"],
                )),
                out.reply,
            )
        return out

    def _in_background(self, turn: Awaitable[None]) -> None:
        task = asyncio.ensure_future(turn)
        self._running.add(task)  # a reference, or the loop may drop the task half-way
        task.add_done_callback(self._running.discard)

    def _admit(self, activity: Mapping[str, Any]) -> HTTPResponse | None:
        """After authentication: a refusal for an activity not to be processed, else None."""
        if activity.get("channelId") != TEAMS_CHANNEL:
            return self._refuse("channel", HTTPStatus.FORBIDDEN, "channel not served", f"channelId {activity.get('channelId')!r}")
        tenant = _mapping(_mapping(activity.get("channelData")).get("tenant")).get("id")
        if not isinstance(tenant, str) or tenant.strip().lower() not in self.allowed_tenants:
            return self._refuse("tenant", HTTPStatus.FORBIDDEN, "tenant not allowed", f"tenant {tenant!r}")
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook_blueprint = Blueprint("teams_botframework_webhook", __name__)

        @webhook_blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "errors": dict(self.errors), "processed": self.turns["processed"],
                                  "in_flight": len(self._running)})

        @webhook_blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            auth_header = request.headers.get("Authorization")
            try:
                # Without a bearer token nothing else is looked at: an anonymous caller gets 401 only.
                bearer_token(auth_header)
            except AuthError as error:
                return self._refuse("auth", HTTPStatus.UNAUTHORIZED, "unauthorized", str(error))
            try:
                activity = json.loads(request.body or b"")
            except ValueError:
                activity = None
            if not isinstance(activity, dict):
                return self._refuse("bad_request", HTTPStatus.BAD_REQUEST, "body is not a JSON activity", "not JSON")
            try:
                await self.authenticator.authenticate(auth_header, activity)
            except AuthError as error:
                return self._refuse("auth", HTTPStatus.UNAUTHORIZED, "unauthorized", str(error))
            except KeysUnavailable as error:
                return self._refuse("keys", HTTPStatus.SERVICE_UNAVAILABLE, "signing keys unavailable", str(error))
            refusal = self._admit(activity)
            if refusal is not None:
                return refusal
            if activity.get("type") != "message":
                return response.json({"status": "ignored"})
            conversation = activity.get("conversation")
            if (not isinstance(conversation, dict) or not _short_string(conversation.get("id"))
                    or not isinstance(activity.get("recipient"), dict) or not _short_string(activity.get("id"))):
                return self._refuse("bad_request", HTTPStatus.BAD_REQUEST, "activity lacks id, conversation or recipient", "incomplete activity")
            wait = self.turn_budget.take(conversation["id"])
            if wait > 0:
                return self._refuse("rate", HTTPStatus.TOO_MANY_REQUESTS, "too many activities", "conversation over its turn budget")
            try:
                # Activity ids are unique within a conversation; the pair is unique everywhere.
                first_time = self.seen.first_time(f"{conversation['id']}|{activity['id']}")
            except SeenUnavailable as error:
                return self._refuse("seen", HTTPStatus.SERVICE_UNAVAILABLE, "try again", f"activity ids unavailable ({error})")
            if not first_time:
                logger.info("Teams activity redelivered; acknowledged without a second turn")
                return response.json({"status": "duplicate"})
            self._in_background(self.handle_activity(activity, on_new_message))
            return response.json({"status": "accepted"}, status=HTTPStatus.ACCEPTED)

        return webhook_blueprint
