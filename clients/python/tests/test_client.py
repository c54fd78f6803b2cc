"""The client against the real ``herald serve``: errors as exceptions carrying the server's JSON error, retries
with one idempotency key through a flaky proxy (the outbox still holds one notification), routes, services and
notification states."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest

from herald_client import Herald, HeraldConnectionError, HeraldError, NotificationMessage, Route

from conftest import Receivers, Server

Mishap = Callable[[int], Optional[str]]


class FlakyProxy:
    """An HTTP proxy in front of the server that misbehaves on the requests ``mishap(n)`` names (n counts from 0):
    ``"lose-answer"`` forwards the request and then closes the connection without answering, ``"drop"`` closes
    it without forwarding, ``"503 <retry-after>"`` answers 503 itself (``Retry-After`` when not empty)."""

    def __init__(self, upstream: str, mishap: Mishap) -> None:
        self.keys: List[Optional[str]] = []
        self.forwarded = 0
        target = urlsplit(upstream)
        proxy = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    number = len(proxy.keys)
                    proxy.keys.append(self.headers.get("Idempotency-Key"))
                what = mishap(number) or ""
                self.close_connection = True
                if what == "drop":
                    return
                if what.startswith("503"):
                    payload = b'{"error": {"code": "storage_unavailable", "message": "outbox busy", "path": ""}}'
                    self.send_response(503)
                    if what[4:]:
                        self.send_header("Retry-After", what[4:])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                connection.close()
                with lock:
                    proxy.forwarded += 1
                if what == "lose-answer":
                    return
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = relay

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def flaky(routed: Server) -> Iterator[Callable[[Mishap], FlakyProxy]]:
    made: List[FlakyProxy] = []

    def start(mishap: Mishap) -> FlakyProxy:
        made.append(FlakyProxy(routed.url, mishap))
        return made[-1]

    yield start
    for proxy in made:
        proxy.close()


def recording() -> Tuple[List[float], Callable[[float], None]]:
    """A stand-in for ``time.sleep`` that records the delays asked for."""
    delays: List[float] = []
    return delays, delays.append


def test_a_lost_answer_is_retried_with_the_same_key_and_queued_once(routed: Server, flaky: Callable[[Mishap], FlakyProxy]) -> None:
    proxy = flaky(lambda n: "lose-answer" if n == 0 else None)
    delays, sleep = recording()
    herald = routed.client(url=proxy.url, retries=3, backoff=0.25, sleep=sleep)

    receipt = herald.notify("sample_mount_failed", NotificationMessage().add_text("Sample mount failed", bold=True))

    assert proxy.forwarded == 2, "the server saw both attempts"
    assert len(proxy.keys) == 2 and proxy.keys[0] == proxy.keys[1] and proxy.keys[0]
    assert receipt.replayed and receipt.id is not None and len(receipt.deliveries) == 3
    assert delays == [0.25]
    assert routed.notification_count() == 1


def test_a_dropped_connection_and_a_503_with_retry_after_are_retried(routed: Server, flaky: Callable[[Mishap], FlakyProxy]) -> None:
    proxy = flaky(lambda n: {0: "drop", 1: "503 2"}.get(n))
    delays, sleep = recording()
    herald = routed.client(url=proxy.url, retries=3, backoff=0.5, sleep=sleep)

    receipt = herald.notify("sample_mount_failed", "Robot reported a mount failure.")

    assert delays == [0.5, 2.0], "backoff after the dropped connection, then the server's Retry-After"
    assert len(set(proxy.keys)) == 1 and len(proxy.keys) == 3
    assert proxy.forwarded == 1 and not receipt.replayed
    assert routed.notification_count() == 1


def test_retries_are_bounded(routed: Server, flaky: Callable[[Mishap], FlakyProxy]) -> None:
    always = flaky(lambda n: "503 ")
    delays, sleep = recording()
    with pytest.raises(HeraldError) as raised:
        routed.client(url=always.url, retries=2, backoff=1, max_backoff=1.5, sleep=sleep).notify("sample_mount_failed", "x")
    assert (raised.value.status, raised.value.code, raised.value.message) == (503, "storage_unavailable", "outbox busy")
    assert delays == [1, 1.5] and len(always.keys) == 3

    too_long = flaky(lambda n: "503 120")
    delays, sleep = recording()
    with pytest.raises(HeraldError) as raised:
        routed.client(url=too_long.url, retries=5, max_backoff=30, sleep=sleep).notify("sample_mount_failed", "x")
    assert raised.value.retry_after == 120 and delays == [], "a wait longer than max_backoff is not waited out"
    assert routed.notification_count() == 0


def test_an_unreachable_server_is_a_connection_error_after_the_retries(routed: Server) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delays, sleep = recording()
    herald = Herald(f"http://127.0.0.1:{port}", routed.notify_token, retries=2, backoff=0.5, sleep=sleep)
    with pytest.raises(HeraldConnectionError) as raised:
        herald.notify("sample_mount_failed", "x")
    assert (raised.value.status, raised.value.code) == (0, "unreachable")
    assert "after 3 attempts" in raised.value.message
    assert routed.notify_token not in str(raised.value) and routed.notify_token not in repr(herald)
    assert delays == [0.5, 1.0]


def test_refusals_are_exceptions_carrying_the_servers_error(routed: Server) -> None:
    delays, sleep = recording()
    herald = routed.client(sleep=sleep)

    with pytest.raises(HeraldError) as raised:
        herald.notify("sample_mount_failed", {"parts": [{"type": "text", "text": "x", "color": "orange"}]})
    error = raised.value
    assert (error.status, error.code, error.path) == (422, "invalid_message", "message.parts[0].color")
    assert error.message == 'message.parts[0].color: unknown color "orange"; expected one of red, green, black, yellow, pink, blue'
    assert str(error) == f"422 invalid_message: {error.message} (at message.parts[0].color)"

    with pytest.raises(HeraldError) as raised:
        herald.notify("sample_mount_failed", {"parts": [{"type": "attachment", "path": "/etc/passwd"}]})
    assert (raised.value.status, raised.value.path) == (422, "message.parts[0].path")

    with pytest.raises(HeraldError) as raised:
        herald.notify(" padded", "x")
    assert (raised.value.code, raised.value.path) == ("invalid_event", "event")

    with pytest.raises(HeraldError) as raised:
        herald.notification("no-such-id")
    assert (raised.value.status, raised.value.code, raised.value.path) == (404, "not_found", "path.id")

    with pytest.raises(HeraldError) as raised:
        herald.set_route("scan_completed", "scilog", ["x12sa"])
    assert (raised.value.status, raised.value.code) == (403, "forbidden")

    stranger = Herald(routed.url, "not-a-token", sleep=sleep)
    with pytest.raises(HeraldError) as raised:
        stranger.routes()
    assert (raised.value.status, raised.value.code, raised.value.path) == (401, "unauthorized", "header.Authorization")
    assert "not-a-token" not in str(raised.value)

    assert delays == [], "a 4xx is never retried"
    assert routed.notification_count() == 0


def test_a_key_reused_for_another_message_is_refused(routed: Server) -> None:
    herald = routed.client()
    first = herald.notify("sample_mount_failed", "Scan 12 done", idempotency_key="scan-12")
    again = herald.notify("sample_mount_failed", "Scan 12 done", idempotency_key="scan-12")
    assert again.replayed and again.id == first.id
    with pytest.raises(HeraldError) as raised:
        herald.notify("sample_mount_failed", "Scan 13 done", idempotency_key="scan-12")
    assert (raised.value.status, raised.value.code, raised.value.path) == (422, "idempotency_key_reused", "header.Idempotency-Key")
    assert routed.notification_count() == 1


def test_routes_services_and_notification_state(routed: Server, receivers: Receivers) -> None:
    admin = routed.client(admin=True)
    herald = routed.client()
    assert Route("sample_mount_failed", "teams", ["operators"]) in herald.routes()

    assert admin.set_route("scan_completed", "signal", "oncall") == Route("scan_completed", "signal", ["oncall"])
    admin.unset_route("sample_mount_failed", "teams")
    routes = herald.routes()
    assert Route("scan_completed", "signal", ["oncall"]) in routes
    assert [r for r in routes if r.event == "sample_mount_failed"] == [
        Route("sample_mount_failed", "scilog", ["x12sa"]), Route("sample_mount_failed", "signal", ["oncall"]),
    ]

    services: Dict[str, Dict[str, object]] = {service["id"]: service for service in herald.services()}
    assert services["scilog"]["configured"] is True and services["scilog"]["scopes"] == ["x12sa"]
    assert services["slack"]["configured"] is False
    token = next(v for v in services["scilog"]["environment"] if v["name"] == "PYCLIENT_SCILOG_TOKEN")  # type: ignore[attr-defined]
    assert token["is_secret"] and token["is_set"] and "value" not in token
    assert receivers.scilog_token not in json.dumps(services)

    receipt = herald.notify("sample_mount_failed", "Robot reported a mount failure.")
    assert receipt.id is not None
    receivers.signal.wait_for(1)
    state = herald.notification(receipt.id)
    assert state["id"] == receipt.id
    assert sorted(d["service"] for d in state["deliveries"]) == ["scilog", "signal"]
    assert all(d["idempotency_key"] for d in state["deliveries"])


def test_the_client_refuses_a_bad_url_or_token() -> None:
    with pytest.raises(ValueError, match="^url: "):
        Herald("ftp://example.org", "t")
    with pytest.raises(ValueError, match="^url: "):
        Herald("http://example.org/?token=x", "t")
    with pytest.raises(ValueError, match="^token: "):
        Herald("http://127.0.0.1:8470", "")
    with pytest.raises(ValueError, match="^token: "):
        Herald("http://127.0.0.1:8470", "a\r\nX-Injected: 1")
