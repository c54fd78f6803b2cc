#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on 127.0.0.1 for Herald's e-mail delivery tests.

Usage: smtp_test_server.py --mode starttls|tls|plain|silent|inject --directory DIR
                           [--user NAME --password SECRET] [--size-limit BYTES]

It generates a self-signed certificate for localhost and 127.0.0.1 (DIR/cert.pem, DIR/key.pem; the `cryptography`
package), listens on a free port, prints `READY <port>` and serves until its standard input closes or it is
terminated.

Modes: starttls requires STARTTLS before AUTH and MAIL; tls speaks TLS from the first byte; plain offers no TLS;
silent accepts connections and never answers; inject offers STARTTLS and answers it with `220` followed, in the same
write, by a plaintext `250` (the reply an attacker on the path would inject before TLS starts). With --user, AUTH (PLAIN or LOGIN) is required.

Each message received is written to DIR/received-N.eml (the bytes after DATA, dot-stuffing removed) with
DIR/received-N.json: {"mail_from", "rcpt_tos", "mail_options", "user", "mechanism", "tls"}.

Recipients steer failures, so that tests can provoke each reply:
  refuse...@     550 5.1.1 to RCPT
  greylist...@   450 4.2.0 to RCPT the first time each address is seen
  tempfail...@   451 4.3.0 to the message (after DATA) the first time
  echo...@       550 to RCPT quoting the password and its base64 forms (a careless server)
"""

import argparse
import asyncio
import base64
import datetime
import ipaddress
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


class Handler:
    def __init__(self, directory, password):
        self.directory = directory
        self.password = password or ""
        self.seen = set()
        self.count = 0

    def first_time(self, key):
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("refuse"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("greylist") and self.first_time(("rcpt", address)):
            return "450 4.2.0 <%s>: Recipient address rejected: Greylisted, try again later" % address
        if local.startswith("echo"):
            user = session.auth_data.user if isinstance(session.auth_data, Credentials) else ""
            plain = base64.b64encode(("\0%s\0%s" % (user, self.password)).encode()).decode()
            encoded = base64.b64encode(self.password.encode()).decode()
            return "550 5.7.1 refused; you sent %s (%s, %s)" % (self.password, encoded, plain)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        tempfail = [address for address in envelope.rcpt_tos if address.startswith("tempfail")]
        if tempfail and self.first_time(("data", tuple(envelope.rcpt_tos))):
            return "451 4.3.0 Temporary failure, try again"
        self.count += 1
        stem = os.path.join(self.directory, "received-%d" % self.count)
        with open(stem + ".eml", "wb") as handle:
            handle.write(envelope.original_content)
        transport = server.transport
        metadata = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "user": session.auth_data.user if isinstance(session.auth_data, Credentials) else None,
            "mechanism": session.auth_data.mechanism if isinstance(session.auth_data, Credentials) else None,
            "tls": session.ssl is not None or (transport is not None and transport.get_extra_info("ssl_object") is not None),
        }
        with open(stem + ".json", "w") as handle:
            json.dump(metadata, handle, sort_keys=True)
        return "250 2.0.0 Ok: queued as HERALD%d" % self.count


class Credentials:
    """What the authenticator keeps of a successful AUTH: the user and the mechanism."""

    def __init__(self, user, mechanism):
        self.user = user
        self.mechanism = mechanism


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        if login == user and auth_data.password.decode() == password:
            return AuthResult(success=True, handled=False, auth_data=Credentials(login, mechanism))
        return AuthResult(success=False, handled=False)
    return authenticate


async def silent(reader, writer):
    await reader.read()
    writer.close()


async def injecting(reader, writer):
    writer.write(b"220 localhost ESMTP\r\n")
    while True:
        line = await reader.readline()
        if not line:
            break
        verb = line.split()[0].upper() if line.split() else b""
        if verb == b"EHLO":
            writer.write(b"250-localhost\r\n250 STARTTLS\r\n")
        elif verb == b"STARTTLS":
            writer.write(b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n")
        else:
            writer.write(b"502 5.5.1 not here\r\n")
        await writer.drain()
    writer.close()


async def serve(arguments):
    context = make_certificate(arguments.directory)
    loop = asyncio.get_running_loop()
    if arguments.mode in ("silent", "inject"):
        server = await asyncio.start_server(silent if arguments.mode == "silent" else injecting, "127.0.0.1", 0)
    else:
        handler = Handler(arguments.directory, arguments.password)
        options = {"decode_data": False, "hostname": "localhost", "data_size_limit": arguments.size_limit}
        if arguments.user:
            options.update(
                authenticator=make_authenticator(arguments.user, arguments.password), auth_required=True,
                auth_require_tls=arguments.mode == "starttls")
        else:
            options.update(auth_require_tls=False)
        if arguments.mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        server = await loop.create_server(
            lambda: SMTP(handler, **options), "127.0.0.1", 0, ssl=context if arguments.mode == "tls" else None)
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)
    # Serve until the test closes standard input (or ends, which closes it too).
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()
    server.close()


def main():
    # A parent that blocks signals in the thread that starts this process passes the mask on: unblock them, so that
    # SIGTERM ends the server.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["starttls", "tls", "plain", "silent", "inject"], required=True)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--size-limit", type=int, default=33554432)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
