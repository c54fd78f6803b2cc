"""Fixtures: local receivers that stand in for SciLog, Teams and Signal, and the real ``herald serve`` binary."""

from __future__ import annotations

import base64
import importlib
import json
import os
import secrets
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

from herald_client import Herald

REPOSITORY = Path(__file__).resolve().parents[3]
#: A 1×1 PNG image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
#: How long a test waits for something that should happen at once before it fails (a bound, never asserted).
PATIENCE = 60.0


def prerequisite(module: str, install: str) -> Any:
    """``module`` imported; when it cannot be, the test is skipped naming ``install``, or fails when
    ``HERALD_REQUIRE_PREREQUISITES=1`` (as in CI)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        reason = f"{module} cannot be imported ({error}); {install}"
        if os.environ.get("HERALD_REQUIRE_PREREQUISITES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass(frozen=True)
class Received:
    """One request a receiver got."""

    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


Reply = Tuple[int, bytes]


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers with ``reply(request)``."""

    def __init__(self, reply: Callable[[Received], Reply]) -> None:
        self.requests: List[Received] = []
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                status, body = reply(request)
                with receiver._changed:
                    receiver.requests.append(request)
                    receiver._changed.notify_all()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, path: Optional[str] = None) -> List[Received]:
        """The requests (to ``path``, if given) once there are at least ``count``; fails after ``PATIENCE``."""
        def matching() -> List[Received]:
            return [r for r in self.requests if path is None or r.path == path]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= count, timeout=PATIENCE):
                pytest.fail(f"{self.url}: expected {count} requests to {path or 'any path'}, got {len(matching())}")
            return matching()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def scilog_reply(token: str) -> Callable[[Received], Reply]:
    """SciLog's API: uploads at ``/api/v1/filesnippet/files``, snippets at ``/api/v1/basesnippets``."""
    def reply(request: Received) -> Reply:
        if request.headers.get("authorization") != f"Bearer {token}":
            return 401, b'{"error": {"statusCode": 401, "message": "Invalid token"}}'
        if request.path == "/api/v1/filesnippet/files":
            return 200, b'{"id": "file-1", "accessHash": "hash-1", "snippetType": "image"}'
        if request.path == "/api/v1/basesnippets":
            return 200, b'{"id": "snippet-1", "snippetType": "paragraph"}'
        return 404, b'{"error": {"message": "not found"}}'
    return reply


def teams_reply(request: Received) -> Reply:
    """A Teams incoming webhook: ``1`` for a card."""
    return (200, b"1") if request.path == "/teams/operators" else (404, b"{}")


def signal_reply(request: Received) -> Reply:
    """signal-cli's JSON-RPC daemon: ``send`` succeeds for every recipient."""
    call = json.loads(request.body)
    result = {"timestamp": 1700000000000, "results": [{"recipientAddress": {"number": "+41791234567"}, "type": "SUCCESS"}]}
    return 200, json.dumps({"jsonrpc": "2.0", "result": result, "id": call.get("id")}).encode()


@dataclass
class Receivers:
    scilog: Receiver
    teams: Receiver
    signal: Receiver
    scilog_token: str


@pytest.fixture
def receivers() -> Iterator[Receivers]:
    token = secrets.token_hex(16)
    made = Receivers(Receiver(scilog_reply(token)), Receiver(teams_reply), Receiver(signal_reply), token)
    yield made
    for receiver in (made.scilog, made.teams, made.signal):
        receiver.close()


@dataclass
class Server:
    """A running ``herald serve``: its URL, tokens and files."""

    url: str
    notify_token: str
    admin_token: str
    directory: Path

    def client(self, *, admin: bool = False, url: Optional[str] = None, **options: object) -> Herald:
        return Herald(url or self.url, self.admin_token if admin else self.notify_token, **options)  # type: ignore[arg-type]

    def notification_count(self) -> int:
        """How many notifications the outbox holds, read from its SQLite file."""
        import sqlite3

        with sqlite3.connect(self.directory / "outbox.sqlite") as db:
            (count,) = db.execute("SELECT COUNT(*) FROM notifications").fetchone()
        return int(count)


def herald_binary() -> Path:
    binary = Path(os.environ.get("HERALD_BIN", REPOSITORY / ".build" / "debug" / "herald"))
    if not binary.is_absolute():
        binary = REPOSITORY / binary
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no herald binary at {binary}: build it (swift build --product herald) or set HERALD_BIN")
    return binary


@pytest.fixture
def server(tmp_path: Path, receivers: Receivers) -> Iterator[Server]:
    """``herald serve`` on 127.0.0.1 and a free port, routing nothing yet, with SciLog scope ``x12sa``, Teams scope
    ``operators`` and Signal scope ``oncall`` at the receivers; stopped with SIGTERM afterwards (it must exit 0)."""
    (tmp_path / "herald.yaml").write_text(
        f"""
outbox: outbox.sqlite
delivery: {{request_timeout: 10, poll_interval: 0.05, initial_backoff: 0.05, maximum_backoff: 0.2}}
services:
  scilog:
    url: {receivers.scilog.url}/api/v1
    token_env: PYCLIENT_SCILOG_TOKEN
    scopes:
      x12sa: {{logbook_id: "6523a1f0c8e4b2a9d0f1e2d3"}}
  teams:
    scopes:
      operators: {{webhook_url_env: PYCLIENT_TEAMS_URL}}
  signal:
    url: {receivers.signal.url}
    scopes:
      oncall: {{recipients: ["+41791234567"]}}
server:
  tokens:
    - {{name: bec, token_env: PYCLIENT_NOTIFY_TOKEN, role: notify}}
    - {{name: ops, token_env: PYCLIENT_ADMIN_TOKEN, role: admin}}
""",
        encoding="utf-8",
    )
    made = Server("", secrets.token_hex(32), secrets.token_hex(32), tmp_path)
    environment = dict(
        os.environ,
        PYCLIENT_SCILOG_TOKEN=receivers.scilog_token,
        PYCLIENT_TEAMS_URL=receivers.teams.url + "/teams/operators",
        PYCLIENT_NOTIFY_TOKEN=made.notify_token,
        PYCLIENT_ADMIN_TOKEN=made.admin_token,
    )
    log = open(tmp_path / "serve.err", "wb")
    process = subprocess.Popen(
        [str(herald_binary()), "serve", "--config", str(tmp_path / "herald.yaml"), "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=log, env=environment,
    )
    try:
        made.url = _listening_url(process, tmp_path / "serve.err")
        yield made
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        log.close()
        assert code == 0, (tmp_path / "serve.err").read_text(errors="replace")


def _listening_url(process: "subprocess.Popen[bytes]", log: Path) -> str:
    """The URL from ``listening on http://HOST:PORT``, the line ``herald serve`` prints once it listens."""
    assert process.stdout is not None
    deadline = time.monotonic() + PATIENCE
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        buffered = b""
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                chunk = os.read(process.stdout.fileno(), 4096)
                if not chunk:
                    break
                buffered += chunk
                for line in buffered.split(b"\n")[:-1]:
                    if line.startswith(b"listening on "):
                        return line[len(b"listening on "):].decode().strip()
    pytest.fail(f"herald serve did not report its address: {log.read_text(errors='replace')}")


@pytest.fixture
def routed(server: Server) -> Server:
    """The server with ``sample_mount_failed`` routed to SciLog, Teams and Signal (through the client, as an admin)."""
    admin = server.client(admin=True)
    for service, scope in (("scilog", "x12sa"), ("teams", "operators"), ("signal", "oncall")):
        admin.set_route("sample_mount_failed", service, [scope])
    return server
