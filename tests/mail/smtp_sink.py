#!/usr/bin/python3
"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 that files every message it receives.

Run with Debian's /usr/bin/python3 (python3-aiosmtpd):
    smtp_sink.py --dir OUT [--port 0] [--reject ADDR]... [--tempfail ADDR]... [--auth USER:PASSWORD]
                 [--tls-cert CERT.pem --tls-key KEY.pem] [--raise-for ADDR]... [--tempfail-first SECONDS]
                 [--sticky-failure] [--bad-sequence-every K]
Prints the listening port on stdout (one line) once it accepts connections; stops on SIGTERM.

For message N (1, 2, ...) it writes, each file atomically (temp + rename):
    OUT/N.eml   the raw DATA bytes as received (dot-unstuffed)
    OUT/N.env   "session S", "from ADDR", then one "rcpt ADDR" line per accepted recipient,
                "auth USER" when the session authenticated, "tls" when it ran STARTTLS
N.env is written last: its presence means the message is complete.
OUT/sessions holds the number of SMTP sessions (connections that sent EHLO or HELO); a bare
TCP probe is not a session.

With --auth, AUTH PLAIN/LOGIN is required before MAIL FROM (offered without TLS: a loopback test
server) and only that user and password pass; others get 535.
With --tls-cert/--tls-key, STARTTLS is offered and required before MAIL FROM (and before AUTH).

Scripted misbehaviour (what real servers do to a client that reuses its connection):
  --raise-for ADDR      the handler raises at DATA for a message to ADDR. aiosmtpd answers
                        "500 Error: (RuntimeError) ..." and keeps the envelope, so the next MAIL on
                        that connection gets "503 Error: nested MAIL command" unless RSET came first.
  --tempfail-first S    every MAIL in the first S seconds after start gets "451 4.3.0".
  --sticky-failure      after any 4xx/5xx reply, the next MAIL of that session gets "503 5.5.1"
                        until the client sends RSET (the behaviour above, for every failure).
  --bad-sequence-every K  every K-th MAIL of a session gets "503 5.5.1" out of the blue.
OUT/replies gets one line per 4xx/5xx reply the server sent: "session S: REPLY".

aiosmtpd's Controller cannot listen on port 0 (it connects to its own port to start up, which
would also count as a session), so the server is created on a socket bound here.
"""

import argparse
import warnings
import asyncio
import os
import signal
import socket
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Sink:
    def __init__(self, folder, reject, tempfail, raise_for=()):
        self.folder = folder
        self.reject = {a.lower() for a in reject}
        self.tempfail = {a.lower() for a in tempfail}
        self.raise_for = {a.lower() for a in raise_for}
        self.sessions = 0
        self.messages = 0
        write_atomically(os.path.join(folder, "sessions"), b"0\n")

    def _count_session(self, session):
        if getattr(session, "sink_number", None) is None:
            self.sessions += 1
            session.sink_number = self.sessions
            write_atomically(os.path.join(self.folder, "sessions"), b"%d\n" % self.sessions)

    async def handle_HELO(self, server, session, envelope, hostname):
        self._count_session(session)
        session.host_name = hostname
        return "250 {}".format(server.hostname)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self._count_session(session)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 no such user"
        if address.lower() in self.tempfail:
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_exception(self, error):
        # aiosmtpd's own answer, without its traceback in the test's output.
        return "500 Error: ({}) {}".format(error.__class__.__name__, str(error))

    async def handle_DATA(self, server, session, envelope):
        bad = [r for r in envelope.rcpt_tos if r.lower() in self.raise_for]
        if bad:
            raise RuntimeError("handler failed for " + bad[0])
        self.messages += 1
        n = self.messages
        base = os.path.join(self.folder, str(n))
        write_atomically(base + ".eml", envelope.original_content)
        lines = ["session %d" % getattr(session, "sink_number", 0), "from " + (envelope.mail_from or "")]
        lines += ["rcpt " + r for r in envelope.rcpt_tos]
        if getattr(session, "authenticated", False) and session.auth_data is not None:
            lines.append("auth " + session.auth_data.login.decode("utf-8", "replace"))
        if session.ssl is not None:
            lines.append("tls")
        write_atomically(base + ".env", ("\n".join(lines) + "\n").encode("utf-8"))
        return "250 OK queued as %d" % n


class ScriptedSMTP(SMTP):
    """aiosmtpd's SMTP with the misbehaviour asked for on the command line (see the module text)."""

    def __init__(self, handler, script, **kwargs):
        self.script = script
        self.failed_since_rset = False
        self.mails = 0
        super().__init__(handler, **kwargs)

    async def push(self, status):
        text = status.decode("utf-8", "replace") if isinstance(status, bytes) else status
        if text[:1] in ("4", "5"):
            self.failed_since_rset = True
            number = getattr(self.session, "sink_number", 0) if self.session else 0
            with open(os.path.join(self.script.folder, "replies"), "a", encoding="utf-8") as f:
                f.write("session %d: %s\n" % (number, text))
        return await super().push(status)

    async def smtp_RSET(self, arg):
        self.failed_since_rset = False
        return await super().smtp_RSET(arg)

    async def smtp_MAIL(self, arg):
        self.mails += 1
        if time.monotonic() < self.script.tempfail_until:
            return await self.push("451 4.3.0 temporarily unavailable, try again later")
        if self.script.sticky_failure and self.failed_since_rset:
            return await self.push("503 5.5.1 Error: nested MAIL command")
        if self.script.bad_sequence_every and self.mails % self.script.bad_sequence_every == 0:
            return await self.push("503 5.5.1 Error: bad sequence of commands")
        return await super().smtp_MAIL(arg)


def authenticator_for(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode("utf-8", "replace") == user
              and auth_data.password.decode("utf-8", "replace") == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate


async def serve(args):
    sink = Sink(args.dir, args.reject, args.tempfail, args.raise_for)
    args.folder = args.dir
    args.tempfail_until = time.monotonic() + args.tempfail_first
    auth = {}
    if args.auth:
        # Loopback only: AUTH without TLS is what this test server is for; no warning per start.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        auth = dict(authenticator=authenticator_for(args.auth), auth_required=True,
                    auth_require_tls=bool(args.tls_cert))
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        auth.update(tls_context=context, require_starttls=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    # hostname given: SMTP() would otherwise call getfqdn(), which can stall on DNS.
    server = await loop.create_server(
        lambda: ScriptedSMTP(sink, args, hostname="sink.test", data_size_limit=64 * 1024 * 1024, timeout=60, **auth),
        sock=sock)
    print(sock.getsockname()[1], flush=True)
    await stop.wait()
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="folder for received messages")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--reject", action="append", default=[], help="recipient to refuse with 550")
    parser.add_argument("--tempfail", action="append", default=[], help="recipient to defer with 450")
    parser.add_argument("--auth", default="", help="USER:PASSWORD required through AUTH PLAIN/LOGIN")
    parser.add_argument("--tls-cert", default="", help="PEM certificate: offer and require STARTTLS")
    parser.add_argument("--tls-key", default="", help="PEM private key of --tls-cert")
    parser.add_argument("--raise-for", action="append", default=[], help="recipient whose messages make the handler raise")
    parser.add_argument("--tempfail-first", type=float, default=0, help="seconds after start in which MAIL gets 451")
    parser.add_argument("--sticky-failure", action="store_true", help="after a failure, 503 to MAIL until RSET")
    parser.add_argument("--bad-sequence-every", type=int, default=0, help="every K-th MAIL of a session gets 503")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
