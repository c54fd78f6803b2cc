#!/usr/bin/env python3
"""The multi-worker load test (issue 19, item 4), run by .ci/run after `swift test`.

A PostgreSQL outbox (HERALD_TEST_POSTGRES_URL, a schema of its own), 3 `herald serve` processes (API and worker each),
NOTIFICATIONS notifications (default 10,000) spread over 3 Markdown webhook destinations, each limited to RATE
requests per second in the destinations file, through a receiver on 127.0.0.1 that injects faults (5xx, 429 with
Retry-After: 1, slow answers) and records every request's destination, notification number, idempotency key, time
and answer. One worker is SIGKILLed once a third of the notifications are delivered, and started again 2 s later.

Asserts: every notification delivered; every request of one notification carries the same idempotency key; a
notification accepted twice only when its first acceptance came before the kill (its outcome was unknown then);
no destination ever gets more than RATE requests in any one-second window. Prints the counts.
Usage: load_test.py HERALD_BINARY   (env: HERALD_TEST_POSTGRES_URL, LOAD_NOTIFICATIONS, LOAD_RATE, LOAD_TIMEOUT)
"""
import http.client
import http.server
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from urllib.parse import urlsplit

HERALD = sys.argv[1]
NOTIFICATIONS = int(os.environ.get("LOAD_NOTIFICATIONS", "10000"))
RATE = int(os.environ.get("LOAD_RATE", "100"))
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "170"))
DESTINATIONS = ["d0", "d1", "d2"]
NUMBER = re.compile(rb"Notification (\d+)")

lock = threading.Lock()
requests = []        # (destination, number, key, time, status)
delivered = set()    # numbers answered 2xx
in_flight = {}       # destination -> requests being answered now
most_in_flight = {}  # destination -> the most at once


class Receiver(http.server.BaseHTTPRequestHandler):
    """Answers about 2% of requests 503, 0.5% 429 with Retry-After: 1, 1% after 0.2 s; records each one."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrived = time.monotonic()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        match = NUMBER.search(body)
        number = int(match.group(1)) if match else -1
        with lock:
            in_flight[self.path] = in_flight.get(self.path, 0) + 1
            most_in_flight[self.path] = max(most_in_flight.get(self.path, 0), in_flight[self.path])
        roll = random.random()
        status, headers = 200, []
        if roll < 0.02:
            status = 503
        elif roll < 0.025:
            status, headers = 429, [("Retry-After", "1")]
        elif roll < 0.035:
            time.sleep(0.2)
        with lock:
            requests.append((self.path, number, self.headers.get("Idempotency-Key", ""), arrived, status))
            if status == 200:
                delivered.add(number)
        with lock:
            in_flight[self.path] -= 1
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A receiver that does not print the connections a killed worker resets."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def start_worker(config, environment, log_dir, index):
    out = open(os.path.join(log_dir, f"serve{index}.out"), "w+")
    err = open(os.path.join(log_dir, f"serve{index}.err"), "w")
    process = subprocess.Popen(
        [HERALD, "serve", "--config", config, "--listen", "127.0.0.1:0", "--insecure-open-loopback"],
        stdout=out, stderr=err, env=environment)
    for _ in range(600):
        out.seek(0)
        found = re.search(r"^listening on (\S+)", out.read(), re.M)
        if found:
            return process, found.group(1)
        if process.poll() is not None:
            sys.exit(f"error: herald serve {index} exited at start; see {err.name}")
        time.sleep(0.05)
    sys.exit(f"error: herald serve {index} did not say where it listens")


def call(base, method, path, payload):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(method, path, body=json.dumps(payload), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status >= 300:
        sys.exit(f"error: {method} {path} answered {response.status}")


def post_notifications(base, numbers):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    for number in numbers:
        payload = {"event": f"load_{DESTINATIONS[number % 3]}", "message": f"Notification {number}"}
        connection.request("POST", "/v1/notifications", body=json.dumps(payload), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 202:
            sys.exit(f"error: notification {number} answered {response.status}")
    connection.close()


def main():
    postgres = os.environ.get("HERALD_TEST_POSTGRES_URL")
    if not postgres:
        sys.exit("error: HERALD_TEST_POSTGRES_URL names no PostgreSQL server")
    receiver = QuietServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}"

    work = tempfile.mkdtemp(prefix="herald-load-")
    schema = "load_" + uuid.uuid4().hex
    outbox = postgres + ("&" if "?" in postgres else "?") + "schema=" + schema
    scopes = ", ".join(f"{d}: {{url_env: LOAD_HOOK_{d.upper()}, rate_limit: {{count: {RATE}, per_seconds: 1}}}}" for d in DESTINATIONS)
    config = os.path.join(work, "herald.yaml")
    with open(config, "w") as file:
        file.write(f"outbox: {outbox}\n"
                   "delivery: {request_timeout: 2, maximum_attempts: 30, initial_backoff: 0.05, maximum_backoff: 0.5,"
                   " lease_margin: 2, concurrency: 8, poll_interval: 0.05}\n"
                   # Each server accepts a third of the notifications: far over the default 600 requests a minute.
                   "server: {rate_limit: {requests: 1000000, per: 1}}\n"
                   f"services: {{markdown: {{scopes: {{{scopes}}}}}}}\n")
    environment = dict(os.environ, **{f"LOAD_HOOK_{d.upper()}": f"{hook}/{d}" for d in DESTINATIONS})

    workers = [start_worker(config, environment, work, index) for index in range(3)]
    for destination in DESTINATIONS:
        call(workers[0][1], "PUT", "/v1/routes", {"event": f"load_{destination}", "service": "markdown", "scopes": [destination]})

    started = time.monotonic()
    posters = [threading.Thread(target=post_notifications, args=(workers[i % 3][1], range(i, NOTIFICATIONS, 6))) for i in range(6)]
    for poster in posters:
        poster.start()

    kill_time = None
    restarted = False
    while time.monotonic() - started < TIMEOUT:
        with lock:
            done = len(delivered)
        if kill_time is None and done >= NOTIFICATIONS // 3:
            workers[0][0].kill()
            kill_time = time.monotonic()
        if kill_time is not None and not restarted and time.monotonic() - kill_time >= 2:
            workers[0] = start_worker(config, environment, work, 3)
            restarted = True
        if done >= NOTIFICATIONS and restarted:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    for poster in posters:
        poster.join()
    for process, _ in workers:
        process.terminate()
    for process, _ in workers:
        process.wait(timeout=30)
    receiver.shutdown()

    with lock:
        seen = list(requests)
    failures = []
    missing = NOTIFICATIONS - len({n for n in delivered if 0 <= n < NOTIFICATIONS})
    if missing:
        failures.append(f"{missing} notifications never delivered in {TIMEOUT:.0f} s")
    keys, accepted = {}, {}
    for path, number, key, arrived, status in seen:
        keys.setdefault(number, set()).add(key)
        if status == 200:
            accepted.setdefault(number, []).append(arrived)
    mixed = [n for n, k in keys.items() if len(k) != 1]
    if mixed:
        failures.append(f"{len(mixed)} notifications sent with more than one idempotency key, e.g. {mixed[:3]}")
    duplicates = {n: times for n, times in accepted.items() if len(times) > 1}
    unexplained = [n for n, times in duplicates.items() if kill_time is None or min(times) >= kill_time]
    if unexplained:
        failures.append(f"{len(unexplained)} notifications accepted twice though not under way at the kill, e.g. {unexplained[:3]}")
    busiest = {}
    for destination in DESTINATIONS:
        times = sorted(arrived for path, _, _, arrived, _ in seen if path == f"/{destination}")
        start, most = 0, 0
        for end, time_ in enumerate(times):
            while times[start] <= time_ - 1:
                start += 1
            most = max(most, end - start + 1)
        busiest[destination] = most
        if most > RATE:
            shortest = min(times[i + RATE] - times[i] for i in range(len(times) - RATE))
            failures.append(f"{destination} got {most} requests in one second ({RATE + 1} within {shortest:.3f} s); its limit is {RATE}")
    faults = {status: sum(1 for r in seen if r[4] == status) for status in (429, 503)}
    print(f"load test: {NOTIFICATIONS} notifications to {len(DESTINATIONS)} destinations by 3 workers (one SIGKILLed, one restarted)"
          f" in {elapsed:.1f} s: {len(seen)} requests, {faults[503]} answered 503, {faults[429]} answered 429,"
          f" {len(delivered)} delivered, {len(duplicates)} delivered twice (all under way at the kill: {not unexplained}),"
          f" busiest second per destination {busiest} (limit {RATE}), most requests at once per destination {most_in_flight}")
    if failures:
        for failure in failures:
            print(f"error: load test: {failure}; logs in {work}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
