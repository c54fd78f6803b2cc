#!/usr/bin/env python3
"""The delivery benchmark (issue 19, item 6): how fast `herald serve` workers drain a queue to a local receiver, how
long a notification takes from its 202 to its arrival, and Apprise's Python API sending to the same receiver in the
same run. A benchmark to reproduce the README's numbers, not a test.

Configurations: a SQLite outbox with 1 worker, and a PostgreSQL outbox (--postgres, default
$HERALD_TEST_POSTGRES_URL; a new schema `bench_<hex>` per configuration, dropped at the end with psql when it is
installed) with each count of --workers. Each configuration starts from a fresh outbox:
  accept   one `herald serve --no-delivery` (the API only) takes N notifications, POSTed by 4 client threads over
           keep-alive connections (accepted/s = N / the time they took), and is stopped;
  drain    K `herald serve` workers start and deliver them to D Markdown webhook destinations d0..d(D-1) on the
           receiver, notification i to d(i mod D), no rate limit on them: delivered/s = N / (last arrival - the
           workers' start), and N / (last arrival - first arrival);
  latency  with the K workers still running, M notifications POSTed at R per second from one thread (round robin
           over the workers' APIs): p50 and p99 of (arrival at the receiver - arrival of the 202 at the client).
Apprise: apprise.Apprise() with json://127.0.0.1:PORT/apprise and N notify() calls in a loop: N / elapsed, and
p50/p99 of (the call's start - arrival). Apprise has no queue: each call returns once its POST is answered.
Every notification must arrive exactly once at its destination: duplicates are printed; one missing (nothing new
for 30 s), a wrong destination or an unreadable request is an error (exit 1).

The receiver is a process of its own (this file with --serve-receiver): it answers every POST 200 and records the
path, the notification number ("Notification 123" in the body) and time.time(); GET /stats answers the records
and its CPU time as JSON and clears them. `--measure-receiver` measures it alone.

Usage:
  benchmark_delivery.py HERALD_BINARY [--notifications N] [--destinations D] [--postgres URL] [--workers 1,2,4]
                        [--latency-rate R] [--latency-notifications M] [--poll-interval S] [--json FILE] [--smoke]
  benchmark_delivery.py --measure-receiver [--seconds S]
Prints a Markdown table and the machine it ran on. Errors are one `error:` line and exit 1. Needs Python 3.9+ and,
except with --smoke, apprise (pip install apprise).
"""
import argparse
import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

NUMBER = re.compile(rb"Notification (\d+)")
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
TRANSFER_ENCODING = re.compile(rb"\r\ntransfer-encoding:", re.IGNORECASE)
CONNECTION_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close", re.IGNORECASE)
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
MAXIMUM_HEAD_BYTES = 64 * 1024
MAXIMUM_BODY_BYTES = 1024 * 1024
CLIENT_THREADS = 4
STALL_SECONDS = 30
STOP_SECONDS = 30
APPRISE_PATH = "/apprise"
# Caps on the options, checked before any work.
LIMITS = {"notifications": (1, 1_000_000), "destinations": (1, 100), "latency_notifications": (1, 100_000),
          "workers": (1, 64)}


class BenchmarkError(Exception):
    """A failure that ends the run with one `error:` line and exit status 1."""


# MARK: The receiver process

# A hand-written minimal HTTP/1.1 server (keep-alive, Content-Length bodies) on asyncio rather than http.server:
# http.server's thread per connection costs more CPU than the herald worker being measured on a 2-core machine.
class ReceiverProtocol(asyncio.Protocol):
    """One connection to the receiver: answers each POST 200 and records it; GET /stats answers the records."""

    def __init__(self, records):
        self.records = records
        self.buffer = bytearray()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.transport = None

    def data_received(self, data):
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAXIMUM_HEAD_BYTES:
                    self.refuse(b"431 Request Header Fields Too Large")
                return
            head = bytes(self.buffer[:end])
            if TRANSFER_ENCODING.search(head):
                self.refuse(b"411 Length Required")
                return
            length = CONTENT_LENGTH.search(head)
            size = int(length.group(1)) if length else 0
            if size > MAXIMUM_BODY_BYTES:
                self.refuse(b"413 Content Too Large")
                return
            if len(self.buffer) < end + 4 + size:
                return
            body = bytes(self.buffer[end + 4:end + 4 + size])
            del self.buffer[:end + 4 + size]
            self.answer(head, body)
            if self.transport is not None and CONNECTION_CLOSE.search(head):
                self.transport.close()
                self.transport = None

    def answer(self, head, body):
        arrived = time.time()
        request_line = head.split(b"\r\n", 1)[0].split(b" ")
        if len(request_line) != 3:
            self.refuse(b"400 Bad Request")
            return
        method, path, _ = request_line
        if method == b"POST":
            match = NUMBER.search(body)
            self.records.append((path.decode("latin-1"), int(match.group(1)) if match else -1, arrived))
            self.transport.write(ANSWER)
        elif method == b"GET" and path == b"/stats":
            payload = json.dumps({"records": self.records, "cpu_seconds": time.process_time()}).encode()
            self.records.clear()
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                                 % len(payload) + payload)
        else:
            self.refuse(b"404 Not Found")

    def refuse(self, status):
        self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        self.transport.close()
        self.transport = None


def serve_receiver():
    """The receiver process: prints its port, serves until its standard input closes (the benchmark ended)."""
    async def serve():
        loop = asyncio.get_running_loop()
        records = []
        server = await loop.create_server(lambda: ReceiverProtocol(records), "127.0.0.1", 0, backlog=1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        ended = loop.create_future()

        def read_input():
            if not os.read(sys.stdin.fileno(), 1024) and not ended.done():
                ended.set_result(None)
        loop.add_reader(sys.stdin.fileno(), read_input)
        await ended
        server.close()
    asyncio.run(serve())


class Receiver:
    """The benchmark's side of the receiver process: starts it and reads its records."""

    def __init__(self, stack):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve-receiver"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, start_new_session=True)
        stack.callback(stop_process, self.process)
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            raise BenchmarkError("the receiver process did not start")
        self.port = int(line)
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def take(self):
        """The records since the last call (path, number, time) and the receiver's CPU seconds so far."""
        self.connection.request("GET", "/stats")
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        return [tuple(record) for record in answer["records"]], answer["cpu_seconds"]

    def wait_for(self, numbers, what):
        """Records until every number of `numbers` has arrived, and the receiver's CPU seconds at the end."""
        records, seen, progressed = [], set(), time.monotonic()
        while True:
            new, cpu = self.take()
            records += new
            before = len(seen)
            seen.update(number for _, number, _ in new if number in numbers)
            if len(seen) == len(numbers):
                return records, cpu
            if len(seen) > before:
                progressed = time.monotonic()
            elif time.monotonic() - progressed > STALL_SECONDS:
                raise BenchmarkError(f"{what}: {len(numbers) - len(seen)} of {len(numbers)} notifications had not"
                                     f" arrived, nothing new for {STALL_SECONDS} s")
            time.sleep(0.05)


def stop_process(process):
    """Ends a process this script started, if it still runs: closes its input, SIGTERM, SIGKILL after 30 s."""
    if process.stdin:
        process.stdin.close()
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# MARK: Measuring the receiver alone

class LoadClient(asyncio.Protocol):
    """One keep-alive connection sending a Markdown POST like Herald's, each after the previous answer was read."""

    def __init__(self, request, deadline, counts, done):
        self.request, self.deadline, self.counts, self.done = request, deadline, counts, done
        self.pending = 0

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.pending += len(data)
        while self.pending >= len(ANSWER):
            self.pending -= len(ANSWER)
            self.counts[0] += 1
            if time.monotonic() < self.deadline:
                self.transport.write(self.request)
            else:
                self.transport.close()

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(None)


def measure_receiver(seconds, connections=8):
    """Drives the receiver alone from one asyncio client process; prints requests/s and its CPU per request."""
    body = b'{"text":"Notification 12345"}'
    request = (b"POST /d0 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
               % len(body) + body)
    with contextlib.ExitStack() as stack:
        receiver = Receiver(stack)
        _, cpu_before = receiver.take()

        async def drive():
            loop = asyncio.get_running_loop()
            counts, finished = [0], []
            deadline = time.monotonic() + seconds
            for _ in range(connections):
                done = loop.create_future()
                finished.append(done)
                await loop.create_connection(lambda: LoadClient(request, deadline, counts, done), "127.0.0.1", receiver.port)
            await asyncio.gather(*finished)
            return counts[0]

        started = time.monotonic()
        sent = asyncio.run(drive())
        elapsed = time.monotonic() - started
        records, cpu_after = receiver.take()
    if len(records) != sent:
        raise BenchmarkError(f"the receiver recorded {len(records)} requests of {sent}")
    per_request = (cpu_after - cpu_before) / sent
    print(f"receiver alone: {sent / elapsed:,.0f} requests/s over {connections} keep-alive connections for"
          f" {elapsed:.1f} s (one asyncio client process, each connection waiting for its answer before the next POST);"
          f" receiver CPU {per_request * 1e6:.1f} µs per request, so at most ~{1 / per_request:,.0f} requests/s on"
          f" one core; {os.cpu_count()} cores, Python {platform.python_version()}")


# MARK: Herald processes

class Herald:
    """One `herald serve` process on 127.0.0.1, open on loopback, its output in files of the run's directory."""

    def __init__(self, stack, binary, config, environment, directory, name, *flags):
        self.name = name
        self.out = open(os.path.join(directory, name + ".out"), "w+")
        self.err = open(os.path.join(directory, name + ".err"), "w+")
        stack.callback(self.err.close)
        stack.callback(self.out.close)
        self.process = subprocess.Popen(
            [binary, "serve", "--config", config, "--listen", "127.0.0.1:0", "--insecure-open-loopback", *flags],
            stdout=self.out, stderr=self.err, env=environment, start_new_session=True)
        stack.callback(stop_process, self.process)
        self.address = None

    def listening(self):
        """Waits until it prints `listening on http://HOST:PORT`; its (host, port)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.out.seek(0)
            found = re.search(r"^listening on http://(\S+):(\d+)$", self.out.read(), re.M)
            if found:
                self.address = (found.group(1), int(found.group(2)))
                return self.address
            if self.process.poll() is not None:
                raise BenchmarkError(f"herald serve ({self.name}) exited at start with status"
                                     f" {self.process.returncode}: {self.last_error()}")
            time.sleep(0.02)
        raise BenchmarkError(f"herald serve ({self.name}) did not say where it listens within 60 s")

    def cpu_seconds(self):
        """User and system CPU time so far, from /proc (None where there is no /proc)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        """SIGTERM, and waits for a clean exit."""
        stop_process(self.process)
        if self.process.returncode != 0:
            raise BenchmarkError(f"herald serve ({self.name}) exited with status {self.process.returncode}:"
                                 f" {self.last_error()}")

    def last_error(self):
        self.err.seek(0)
        lines = [line.strip() for line in self.err.read().splitlines() if line.strip()]
        return lines[-1] if lines else "nothing on standard error"


def call(address, method, path, payload):
    connection = http.client.HTTPConnection(*address, timeout=30)
    try:
        connection.request(method, path, body=json.dumps(payload), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        text = response.read()
    finally:
        connection.close()
    if response.status >= 300:
        raise BenchmarkError(f"{method} {path} answered {response.status}: {text[:200]!r}")


class Poster:
    """A keep-alive connection POSTing notifications to one herald serve."""

    def __init__(self, address, destinations):
        self.connection = http.client.HTTPConnection(*address, timeout=30)
        self.destinations = destinations

    def post(self, number):
        payload = {"event": f"bench_d{number % self.destinations}", "message": f"Notification {number}"}
        self.connection.request("POST", "/v1/notifications", body=json.dumps(payload),
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        text = response.read()
        if response.status != 202:
            raise BenchmarkError(f"notification {number} answered {response.status}: {text[:200]!r}")

    def post_all(self, numbers):
        for number in numbers:
            self.post(number)
        self.connection.close()


# MARK: Measuring

def percentile(values, fraction):
    """The nearest-rank percentile of `values` (not empty)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def check_arrivals(records, numbers, destinations, path_of, what):
    """Per number of `numbers`, its first arrival time; prints duplicates, raises for a stray or misrouted request."""
    first, count = {}, {}
    for path, number, arrived in records:
        if number not in numbers:
            raise BenchmarkError(f"{what}: the receiver got a request for {path} that is none of this run's"
                                 f" notifications (number {number})")
        if path != path_of(number, destinations):
            raise BenchmarkError(f"{what}: notification {number} arrived at {path}, not {path_of(number, destinations)}")
        count[number] = count.get(number, 0) + 1
        first[number] = min(arrived, first.get(number, arrived))
    missing = [number for number in numbers if number not in first]
    if missing:
        raise BenchmarkError(f"{what}: {len(missing)} notifications never arrived, e.g. {missing[:5]}")
    duplicates = {number: times for number, times in count.items() if times > 1}
    if duplicates:
        print(f"note: {what}: {len(duplicates)} notifications arrived more than once, e.g."
              f" {dict(list(duplicates.items())[:5])} (number: times)", file=sys.stderr)
    return first, len(duplicates)


def herald_path(number, destinations):
    return f"/d{number % destinations}"


def run_configuration(stack, options, receiver, label, outbox, workers):
    """One configuration: accept N with a --no-delivery instance, drain with `workers` workers, then latency.
    `outbox` is a PostgreSQL URL, or None for a SQLite file in the configuration's temporary directory."""
    directory = tempfile.mkdtemp(prefix="herald-bench-")
    stack.callback(shutil.rmtree, directory, ignore_errors=True)
    outbox = outbox or os.path.join(directory, "outbox.sqlite")
    destinations = options.destinations
    hook = f"http://127.0.0.1:{receiver.port}"
    scopes = ", ".join(f"d{index}: {{url_env: BENCH_HOOK_D{index}}}" for index in range(destinations))
    config = os.path.join(directory, "herald.yaml")
    with open(config, "w") as file:
        file.write(f"outbox: {json.dumps(outbox)}\n"
                   "server: {rate_limit: {requests: 1000000, per: 1}}\n"
                   f"delivery: {policy(options)}\n"
                   f"services: {{markdown: {{scopes: {{{scopes}}}}}}}\n")
    environment = dict(os.environ, **{f"BENCH_HOOK_D{index}": f"{hook}/d{index}" for index in range(destinations)})
    what = f"{label} with {workers} worker{'s' if workers > 1 else ''}"
    n = options.notifications

    api = Herald(stack, options.herald, config, environment, directory, "api", "--no-delivery")
    address = api.listening()
    for index in range(destinations):
        call(address, "PUT", "/v1/routes", {"event": f"bench_d{index}", "service": "markdown", "scopes": [f"d{index}"]})
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(CLIENT_THREADS) as pool:
        for future in [pool.submit(Poster(address, destinations).post_all, range(i, n, CLIENT_THREADS))
                       for i in range(CLIENT_THREADS)]:
            future.result()
    accepted = n / (time.monotonic() - started)
    api.stop()
    early, cpu_before = receiver.take()
    server_before = postgres_cpu_seconds()
    if early:
        raise BenchmarkError(f"{what}: herald serve --no-delivery delivered {len(early)} notifications")

    started = time.time()
    processes = [Herald(stack, options.herald, config, environment, directory, f"worker{index}") for index in range(workers)]
    addresses = [process.listening() for process in processes]
    records, cpu_after = receiver.wait_for(range(n), what)
    cpus = [process.cpu_seconds() for process in processes]
    server_cpu = postgres_cpu_seconds() - server_before if label.startswith("PostgreSQL") else None
    drained = len(records)

    posters = [Poster(address, destinations) for address in addresses]
    accepted_at = {}
    latency_numbers = range(n, n + options.latency_notifications)
    paced = time.monotonic()
    for index, number in enumerate(latency_numbers):
        delay = paced + index / options.latency_rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        posters[index % len(posters)].post(number)
        accepted_at[number] = time.time()
    latency_rate = len(latency_numbers) / (time.monotonic() - paced)
    late, _ = receiver.wait_for(latency_numbers, what + " (latency)")
    for poster in posters:
        poster.connection.close()
    for process in processes:
        process.stop()
    rest, _ = receiver.take()
    records += late + rest
    first, duplicates = check_arrivals(records, range(n + len(latency_numbers)), destinations, herald_path, what)
    arrivals = sorted(first[number] for number in range(n))
    latencies = [(first[number] - accepted_at[number]) * 1000 for number in latency_numbers]
    return {
        "configuration": label, "workers": workers, "notifications": n,
        "accepted_per_second": accepted,
        "delivered_per_second": n / (arrivals[-1] - started),
        "delivered_per_second_first_to_last": n / (arrivals[-1] - arrivals[0]) if n > 1 else None,
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p99_ms": percentile(latencies, 0.99),
        "latency_rate_achieved": latency_rate,
        "herald_cpu_ms_per_delivery": sum(cpus) / n * 1000 if None not in cpus else None,
        "receiver_cpu_us_per_request": (cpu_after - cpu_before) / drained * 1e6,
        "postgres_cpu_ms_per_delivery": server_cpu / n * 1000 if server_cpu is not None else None,
        "duplicates": duplicates,
    }


def postgres_cpu_seconds():
    """User and system CPU time of every running PostgreSQL server process (the server and its backends), from
    /proc; a backend that exits takes its time with it, so this is read while the workers' connections are open."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                name, rest = stat.read().split(" (", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        if name == "postgres":
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run_apprise(apprise, receiver, n):
    """N notify() calls in a loop to the receiver's json:// URL; throughput and call start → arrival."""
    notifier = apprise.Apprise()
    if not notifier.add(f"json://127.0.0.1:{receiver.port}{APPRISE_PATH}"):
        raise BenchmarkError("Apprise refused the json:// URL")
    receiver.take()
    started_at = []
    started = time.time()
    for number in range(n):
        started_at.append(time.time())
        if not notifier.notify(body=f"Notification {number}", title="Herald benchmark"):
            raise BenchmarkError(f"Apprise's notify() failed for notification {number}")
    elapsed = time.time() - started
    records, _ = receiver.wait_for(range(n), "Apprise")
    first, duplicates = check_arrivals(records, range(n), 1, lambda number, _: APPRISE_PATH, "Apprise")
    arrivals = sorted(first.values())
    latencies = [(first[number] - started_at[number]) * 1000 for number in range(n)]
    return {
        "configuration": f"Apprise {apprise.__version__} (json://, notify() in a loop)", "workers": None,
        "notifications": n, "accepted_per_second": None,
        "delivered_per_second": n / elapsed,
        "delivered_per_second_first_to_last": n / (arrivals[-1] - arrivals[0]) if n > 1 else None,
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p99_ms": percentile(latencies, 0.99),
        "herald_cpu_ms_per_delivery": None, "duplicates": duplicates,
    }


def drop_schema(postgres, schema):
    """Drops a configuration's schema with psql, when it is installed; says so when it could not."""
    psql = shutil.which("psql")
    done = psql and subprocess.run([psql, "-X", "-q", "-c", f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', postgres],
                                   stdin=subprocess.DEVNULL, capture_output=True).returncode == 0
    if not done:
        print(f"note: the schema {schema} stays in the PostgreSQL database (psql could not drop it)", file=sys.stderr)


def policy(options):
    return f"{{concurrency: 32, poll_interval: {options.poll_interval:g}}}"


def machine(binary):
    model = ""
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as cpuinfo:
            found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read(), re.M)
            model = f" ({found.group(1).strip()})" if found else ""
    parts = os.path.realpath(binary).split(os.sep)
    build = "release build" if "release" in parts else "debug build" if "debug" in parts else "build unknown"
    return {"cores": os.cpu_count(), "cpu": model.strip(" ()"), "python": platform.python_version(),
            "herald": os.path.abspath(binary), "build": build,
            "line": f"{os.cpu_count()} cores{model}, Python {platform.python_version()},"
                    f" herald {os.path.abspath(binary)} ({build})"}


def table(rows):
    def number(value, digits=0):
        return "—" if value is None else f"{value:,.{digits}f}"
    lines = ["| configuration | workers | accepted/s | delivered/s | delivered/s, first to last arrival | p50 ms |"
             " p99 ms | herald CPU ms per delivery | PostgreSQL CPU ms per delivery |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['configuration']} | {number(row['workers'])} |"
                     f" {number(row['accepted_per_second']) if row['workers'] else '— (no queue)'} |"
                     f" {number(row['delivered_per_second'])} | {number(row['delivered_per_second_first_to_last'])} |"
                     f" {number(row['latency_p50_ms'], 1)} | {number(row['latency_p99_ms'], 1)} |"
                     f" {number(row['herald_cpu_ms_per_delivery'], 2)} | {number(row.get('postgres_cpu_ms_per_delivery'), 2)} |")
    return "\n".join(lines)


def benchmark(options):
    try:
        import apprise
    except ImportError:
        if not options.smoke:
            raise BenchmarkError("apprise is not installed (pip install apprise)")
        apprise = None
    rows, notes = [], []
    with contextlib.ExitStack() as stack:
        receiver = Receiver(stack)
        rows.append(run_configuration(stack, options, receiver, "SQLite", None, 1))
        if options.postgres:
            for workers in options.workers:
                schema = "bench_" + uuid.uuid4().hex
                stack.callback(drop_schema, options.postgres, schema)
                outbox = options.postgres + ("&" if "?" in options.postgres else "?") + "schema=" + schema
                rows.append(run_configuration(stack, options, receiver, "PostgreSQL", outbox, workers))
        else:
            notes.append("no PostgreSQL server (--postgres or HERALD_TEST_POSTGRES_URL): its rows are skipped")
        if apprise:
            rows.append(run_apprise(apprise, receiver, options.notifications))
        else:
            notes.append("apprise is not installed: its row is skipped")
    return rows, notes


def parse(arguments):
    parser = argparse.ArgumentParser(
        description="Herald's delivery benchmark: drain throughput and 202-to-delivered latency for a SQLite outbox"
                    " with 1 worker and a PostgreSQL outbox with several, beside Apprise sending to the same receiver.")
    parser.add_argument("herald", nargs="?", metavar="HERALD_BINARY", help="the herald binary to measure (a release build)")
    parser.add_argument("--notifications", type=int, default=5000, metavar="N",
                        help="notifications drained per configuration, and Apprise's calls (default 5000, at most 1,000,000)")
    parser.add_argument("--destinations", type=int, default=8, metavar="D",
                        help="Markdown webhook destinations d0..d(D-1), notification i to d(i mod D) (default 8, at most 100)")
    parser.add_argument("--postgres", default=os.environ.get("HERALD_TEST_POSTGRES_URL"), metavar="URL",
                        help="a PostgreSQL server's postgres:// URL, a schema per configuration (default"
                             " $HERALD_TEST_POSTGRES_URL; none: the PostgreSQL rows are skipped)")
    parser.add_argument("--workers", default="1,2,4", metavar="LIST",
                        help="the PostgreSQL configurations' worker counts, comma-separated (default 1,2,4; each 1..64)")
    parser.add_argument("--latency-rate", type=float, default=200, metavar="R",
                        help="notifications per second POSTed for the latency measurement (default 200, more than 0)")
    parser.add_argument("--latency-notifications", type=int, default=1000, metavar="M",
                        help="notifications POSTed for the latency measurement (default 1000, at most 100,000)")
    parser.add_argument("--poll-interval", type=float, default=0.05, metavar="S",
                        help="the workers' delivery.poll_interval in seconds (default 0.05; Herald's own default is 1),"
                             " the longest an idle worker waits before it looks for new notifications")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick run that keeps the script working: N=200, M=50, workers 1 and 2, no Apprise"
                             " when it is not installed")
    parser.add_argument("--measure-receiver", action="store_true", help="measure the receiver alone, then exit")
    parser.add_argument("--seconds", type=float, default=5, help="how long --measure-receiver drives it (default 5, 1..60)")
    parser.add_argument("--serve-receiver", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(arguments)
    if options.smoke:
        options.notifications, options.latency_notifications, options.workers = 200, 50, "1,2"
    if options.serve_receiver or options.measure_receiver:
        if not 1 <= options.seconds <= 60:
            raise BenchmarkError("--seconds must be 1 to 60")
        return options
    if not options.herald:
        raise BenchmarkError("name the herald binary to measure (benchmark_delivery.py HERALD_BINARY)")
    if not (os.path.isfile(options.herald) and os.access(options.herald, os.X_OK)):
        raise BenchmarkError(f"{options.herald} is not an executable file")
    try:
        options.workers = [int(count) for count in options.workers.split(",")]
    except ValueError:
        raise BenchmarkError(f"--workers {options.workers} is not a comma-separated list of numbers") from None
    checked = [("notifications", options.notifications), ("destinations", options.destinations),
               ("latency_notifications", options.latency_notifications)]
    checked += [("workers", count) for count in options.workers]
    for name, value in checked:
        low, high = LIMITS[name]
        if not low <= value <= high:
            raise BenchmarkError(f"--{name.replace('_', '-')} must be {low} to {high:,}, not {value}")
    if not 0 < options.latency_rate <= 100_000:
        raise BenchmarkError("--latency-rate must be more than 0 and at most 100,000 per second")
    if not 0.001 <= options.poll_interval <= 60:
        raise BenchmarkError("--poll-interval must be 0.001 to 60 seconds")
    if options.postgres and not options.postgres.startswith(("postgres://", "postgresql://")):
        raise BenchmarkError("--postgres must be a postgres:// URL")
    return options


def main(arguments):
    options = parse(arguments)
    if options.serve_receiver:
        serve_receiver()
        return
    if options.measure_receiver:
        measure_receiver(options.seconds)
        return
    rows, notes = benchmark(options)
    about = machine(options.herald)
    print(table(rows))
    print()
    print(f"machine: {about['line']}")
    print(f"settings: {options.notifications} notifications to {options.destinations} Markdown webhook destinations"
          f" (no rate limit), delivery {policy(options)}; latency: {options.latency_notifications} notifications at"
          f" {options.latency_rate:g}/s, from the 202 to the arrival (Apprise: from the call's start to the arrival)")
    receiver_cpu = [row["receiver_cpu_us_per_request"] for row in rows if "receiver_cpu_us_per_request" in row]
    if receiver_cpu:
        spread = f"{min(receiver_cpu):.0f}" + (f"–{max(receiver_cpu):.0f}" if len(receiver_cpu) > 1 else "")
        print(f"receiver: {spread} µs of CPU per request during the drains")
    if any(row["workers"] is None for row in rows):
        print("Apprise has no queue: notify() sends and waits for the answer, so its delivered/s is calls per second.")
    for note in notes:
        print(f"note: {note}")
    if options.json:
        with open(options.json, "w") as file:
            json.dump({"machine": about, "settings": {
                "notifications": options.notifications, "destinations": options.destinations,
                "delivery": policy(options), "latency_notifications": options.latency_notifications,
                "latency_rate": options.latency_rate}, "results": rows, "notes": notes}, file, indent=2, sort_keys=True)
            file.write("\n")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except BenchmarkError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
