"""Fixtures for the preview page's browser tests: the real `herald serve` on an ephemeral port with a token, and
Debian's headless Chromium driven by Selenium with its performance (network) and console logs."""

import base64
import http.server
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".build" / "screenshots"


def herald_binary():
    """The built `herald`: HERALD_BIN, or the debug build of this checkout."""
    if os.environ.get("HERALD_BIN"):
        return os.environ["HERALD_BIN"]
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "herald")


class Server:
    """A running `herald serve`: its base URL, its `notify` token and its `admin` token."""

    def __init__(self, base, token, admin_token):
        self.base = base
        self.token = token
        self.admin_token = admin_token

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="session")
def herald():
    return herald_binary()


@pytest.fixture(scope="session")
def server(herald):
    work = tempfile.mkdtemp(prefix="herald-browser-")
    token = secrets.token_hex(32)
    admin_token = secrets.token_hex(32)
    config = os.path.join(work, "herald.yaml")
    with open(config, "w") as file:
        file.write(
            "outbox: outbox.sqlite\n"
            "services:\n  markdown:\n    scopes:\n      chat: {url_env: HERALD_BROWSER_CHAT_URL}\n"
            "destinations:\n  secret_key_env: HERALD_BROWSER_DESTINATION_KEY\n"
            "server:\n  tokens:\n    - {name: page, token_env: HERALD_BROWSER_TOKEN, role: notify}\n"
            "    - {name: ops, token_env: HERALD_BROWSER_ADMIN_TOKEN, role: admin}\n"
            "  rate_limit: {requests: 100000, per: 1}\n  shutdown_grace_period: 1\n")
    env = dict(os.environ, HERALD_BROWSER_TOKEN=token, HERALD_BROWSER_ADMIN_TOKEN=admin_token,
               HERALD_BROWSER_DESTINATION_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
               HERALD_BROWSER_CHAT_URL="http://127.0.0.1:9/hooks/chat")
    out = open(os.path.join(work, "serve.out"), "w+")
    err = open(os.path.join(work, "serve.err"), "w+")
    process = subprocess.Popen([herald, "serve", "--config", config, "--listen", "127.0.0.1:0"], stdout=out, stderr=err, env=env, cwd=work)
    base = None
    # `herald serve` prints "listening on http://HOST:PORT" once it accepts connections: poll its output for it.
    for _ in range(600):
        out.seek(0)
        for line in out.read().splitlines():
            if line.startswith("listening on "):
                base = line[len("listening on "):].strip()
        if base or process.poll() is not None:
            break
        time.sleep(0.05)
    if not base:
        process.kill()
        err.seek(0)
        pytest.fail("herald serve did not start: " + err.read())
    yield Server(base, token, admin_token)
    process.terminate()
    assert process.wait(timeout=30) == 0
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def driver():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield browser
    browser.quit()


def requested_urls(driver):
    """The URLs the page asked for since the last call (the performance log's Network.requestWillBeSent)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_problems(driver):
    """Console entries of level SEVERE since the last call (CSP violations, script errors), but the favicon's 404."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]


class Receiver:
    """A webhook receiver on 127.0.0.1: every POST's path and JSON body, answered 200."""

    def __init__(self):
        self.requests = []
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                received.append((self.path, json.loads(self.rfile.read(length) or b"null")))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()
