"""``Herald``: the HTTP client of ``herald serve``."""

from __future__ import annotations

import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._documents import Message, document

#: The largest response body read, in bytes; a larger one is an error.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: Answers after which a request is sent again (when attempts remain): overloaded or rate limited.
RETRIED_STATUSES = (429, 503)


class HeraldError(Exception):
    """An error answered by the server, ``{"error": {"code", "message", "path"}}``, with the HTTP status.

    ``message`` is the sentence the command line prints after ``error:``; ``path`` says where in the request the
    problem is (``message.parts[3].color``, ``header.Authorization``, or empty).
    """

    def __init__(self, status: int, code: str, message: str, path: str = "", retry_after: Optional[float] = None) -> None:
        super().__init__(f"{status} {code}: {message}" + (f" (at {path})" if path else ""))
        #: The HTTP status (0 when the server could not be reached).
        self.status = status
        #: The server's stable error code (``invalid_message``).
        self.code = code
        #: The server's sentence.
        self.message = message
        #: Where in the request.
        self.path = path
        #: Seconds the server asked to wait (``Retry-After``), when it did.
        self.retry_after = retry_after


class HeraldConnectionError(HeraldError):
    """The server could not be reached, or the connection broke, on every attempt (status 0, code
    ``unreachable``)."""

    def __init__(self, message: str) -> None:
        super().__init__(0, "unreachable", message)


@dataclass(frozen=True)
class Receipt:
    """What ``notify`` got back: the notification's id (``None`` when no route takes the event) and its
    deliveries, how the message was read (``notes``), and whether the answer was replayed for an idempotency key
    the server had seen (nothing queued twice)."""

    id: Optional[str]
    event: str
    deliveries: List[Dict[str, Any]]
    notes: List[str]
    replayed: bool = False


@dataclass(frozen=True)
class Rendering:
    """One service's rendering: the exact request body it receives, and what it cannot show."""

    service: str
    payload: Any
    degradations: List[Dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Route:
    """An event routed on a service to scopes (configured destinations)."""

    event: str
    service: str
    scopes: List[str]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuses redirects: the bearer token must never follow one to another host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _retry_after(value: Optional[str], now: Callable[[], float]) -> Optional[float]:
    """``Retry-After`` in seconds: whole seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now())


class Herald:
    """A client of ``herald serve`` at ``url`` with a bearer ``token``.

    Every request times out after ``timeout`` seconds. A request that cannot connect, loses its connection or
    times out, or is answered ``503`` or ``429``, is sent again up to ``retries`` times: after the server's
    ``Retry-After`` when it gives one (an answer asking for more than ``max_backoff`` seconds is raised instead),
    otherwise after ``backoff`` seconds doubling up to ``max_backoff``. ``notify`` sends one ``Idempotency-Key``
    with every attempt, so the server queues a notification once however many attempts reach it.

    >>> herald = Herald("http://127.0.0.1:8470", token)
    >>> msg = NotificationMessage().add_text("Sample mount failed", bold=True, color="red")
    >>> herald.notify("sample_mount_failed", msg)
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
            raise ValueError(f"url: expected http(s)://HOST:PORT with an optional path, found {url!r}")
        if not isinstance(token, str) or not token or any(c in token for c in "\r\n"):
            raise ValueError("token: expected the bearer token, a non-empty string of one line")
        if timeout <= 0 or retries < 0 or backoff < 0 or max_backoff < 0:
            raise ValueError("timeout must be positive; retries, backoff and max_backoff not negative")
        self._base = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __repr__(self) -> str:
        return f"Herald({self._base!r})"

    # Publishing

    def notify(self, event: str, message: Message, *, idempotency_key: Optional[str] = None) -> Receipt:
        """Publishes ``message`` as ``event`` to every destination its routes name, as BEC's
        ``connector.notify(event, message)``. ``message`` is a ``NotificationMessage``, plain text, a dict in
        ``herald.message/v1`` (or BEC's JSON), or a BEC ``NotificationMessageObject``. Returns once the server's
        outbox holds it; a key (default: a fresh UUID) makes every retry of this call the same notification."""
        key = idempotency_key if idempotency_key is not None else str(uuid.uuid4())
        body = {"event": event, "message": document(message, allow_text=True)}
        _, headers, answer = self._call("POST", "/v1/notifications", body, {"Idempotency-Key": key})
        return Receipt(
            id=answer.get("id"),
            event=answer.get("event", event),
            deliveries=list(answer.get("deliveries", [])),
            notes=list(answer.get("notes", [])),
            replayed=headers.get("idempotent-replayed") == "true",
        )

    def render(self, service: str, message: Message) -> Rendering:
        """What ``service`` (``scilog``, ``teams``, ``signal``, …) would receive for ``message`` and what it cannot
        show, without sending anything (``render_all`` gives every service's)."""
        if service == "all":
            raise ValueError('service: render_all(message) renders for every service; render takes one')
        return self._rendering(self._call("POST", "/v1/render/" + urllib.parse.quote(service, safe=""), document(message, allow_text=False))[2])

    def render_all(self, message: Message) -> List[Rendering]:
        """Every service's rendering of ``message``, in the catalogue's order."""
        return [self._rendering(value) for value in self._call("POST", "/v1/render/all", document(message, allow_text=False))[2]]

    @staticmethod
    def _rendering(value: Mapping[str, Any]) -> Rendering:
        return Rendering(value["service"], value["payload"], list(value.get("degradations", [])))

    def notification(self, notification_id: str) -> Dict[str, Any]:
        """The deliveries of a notification: state, attempts, last error, as ``herald outbox list --json``."""
        _, _, answer = self._call("GET", "/v1/notifications/" + urllib.parse.quote(notification_id, safe=""))
        result: Dict[str, Any] = answer
        return result

    # Routes and services

    def routes(self) -> List[Route]:
        """Every route, sorted by event and service."""
        _, _, answer = self._call("GET", "/v1/routes")
        return [Route(route["event"], route["service"], list(route["scopes"])) for route in answer["routes"]]

    def set_route(self, event: str, service: str, scopes: Union[str, Sequence[str]]) -> Route:
        """Routes ``event`` on ``service`` to exactly ``scopes`` (needs an admin token), as BEC's
        ``set_auto_notifications(event, enabled=True, scopes=...)``."""
        listed = [scopes] if isinstance(scopes, str) else list(scopes)
        _, _, answer = self._call("PUT", "/v1/routes", {"event": event, "service": service, "scopes": listed})
        return Route(answer["event"], answer["service"], list(answer["scopes"]))

    def unset_route(self, event: str, service: str, scopes: Union[str, Sequence[str], None] = None) -> None:
        """Stops routing ``event`` on ``service`` to ``scopes``, or to any scope when none is given (admin)."""
        query: List[Tuple[str, str]] = [("event", event), ("service", service)]
        if scopes is not None:
            query += [("scope", scope) for scope in ([scopes] if isinstance(scopes, str) else scopes)]
        self._call("DELETE", "/v1/routes?" + urllib.parse.urlencode(query))

    def services(self) -> List[Dict[str, Any]]:
        """Each service: capabilities, events, and when configured its scopes and variables (never a secret)."""
        _, _, answer = self._call("GET", "/v1/services")
        services: List[Dict[str, Any]] = answer["services"]
        return services

    # HTTP

    def _call(
        self, method: str, path: str, body: Optional[Any] = None, headers: Optional[Mapping[str, str]] = None
    ) -> Tuple[int, Dict[str, str], Any]:
        """Sends a request, retrying as the class says; returns status, headers (lower-case names) and the JSON
        answer (``None`` for an empty one). Errors are raised as ``HeraldError``."""
        data = None if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        request_headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json", "User-Agent": "herald-client/1.0"}
        if data is not None:
            request_headers["Content-Type"] = "application/json; charset=utf-8"
        request_headers.update(headers or {})
        attempt = 0
        while True:
            try:
                status, answer_headers, raw = self._send(method, path, data, request_headers)
            except (OSError, http.client.HTTPException) as failure:
                if attempt >= self._retries:
                    raise HeraldConnectionError(
                        f"{method} {self._base}{path.split('?')[0]}: {failure} (after {attempt + 1} attempts)"
                    ) from None
                delay = min(self._backoff * 2**attempt, self._max_backoff)
            else:
                if status < 400:
                    return status, answer_headers, self._json(status, raw)
                error = self._error(status, answer_headers, raw)
                if status not in RETRIED_STATUSES or attempt >= self._retries:
                    raise error
                if error.retry_after is not None and error.retry_after > self._max_backoff:
                    raise error
                delay = error.retry_after if error.retry_after is not None else min(self._backoff * 2**attempt, self._max_backoff)
            self._sleep(delay)
            attempt += 1

    def _send(self, method: str, path: str, data: Optional[bytes], headers: Mapping[str, str]) -> Tuple[int, Dict[str, str], bytes]:
        request = urllib.request.Request(self._base + path, data=data, headers=dict(headers), method=method)
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, self._read(response)
        except urllib.error.HTTPError as answer:
            with answer:
                return answer.code, {k.lower(): v for k, v in answer.headers.items()}, self._read(answer)

    @staticmethod
    def _read(response: Any) -> bytes:
        raw: bytes = response.read(MAX_RESPONSE_BYTES + 1)
        if len(raw) > MAX_RESPONSE_BYTES:
            raise HeraldError(response.status, "response_too_large", f"the answer is larger than {MAX_RESPONSE_BYTES} bytes")
        return raw

    @staticmethod
    def _json(status: int, raw: bytes) -> Any:
        if not raw:
            return None
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HeraldError(status, "malformed_answer", "the server's answer is not JSON") from None

    def _error(self, status: int, headers: Mapping[str, str], raw: bytes) -> HeraldError:
        retry_after = _retry_after(headers.get("retry-after"), time.time)
        try:
            error = json.loads(raw.decode("utf-8"))["error"]
            return HeraldError(status, str(error["code"]), str(error["message"]), str(error.get("path", "")), retry_after)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            shown = raw[:200].decode("utf-8", "replace").strip()
            return HeraldError(status, "http_error", shown or http.client.responses.get(status, "error"), "", retry_after)
