#!/usr/bin/env python3
"""voxgate serve with examples/routing.toml: SIPp calls each route's user
and sees what the route promises (src/app/routing_config.hpp):

  echo, tone      answered at once (SIPp's built-in uac)
  busy            486 (uac_final_status.xml)
  ring            180, then 200 no sooner than 2 s after the INVITE
                  (uac_ringing_then_answered.xml)
  no-answer       180, then 480 when max_ring_ms (2 s) runs out
  hold            answered and kept up until SIPp's BYE 3 s later
  park            rings, is not answered, takes a CANCEL (cancel_before_answer.xml)
  webhook*        the decision webhook (a thread of this test) is asked and
                  obeyed: webhook -> tone (200), webhook-busy -> 486; it
                  answers webhook-broken 500, so the fallback's 503 follows
  nobody          404: no route matches

The example is run as it is, but for its listen addresses, the webhook's
port 9000 (this test's HTTP server), [api] off and the CDR database in the
work directory.

Skips (exit 77) when voxgate or SIPp is missing, when `voxgate serve`
predates [[routes]] (or [api], [cdr]) and refuses the file, and when it
loads the routes but does not act on them (busy answered 200 instead of
486): routing is not wired into serve.
"""
import http.server
import json
import re
import sqlite3
import subprocess
import threading
import time
import unittest

import harness
from harness import LOCALHOST, REPO_ROOT, ServeOptions, VoxgateServer, run_sipp, scenario, scenario_with_status

EXAMPLE = REPO_ROOT / "examples" / "routing.toml"
EXAMPLE_WEBHOOK_PORT = 9000
RING_MS = 2000  # the example's ring_ms for "ring" and max_ring_ms for "no-answer"


def user_of(request_uri: str) -> str:
    match = re.match(r"sips?:([^@;]*)@", request_uri)
    return match.group(1) if match else ""


class DecisionHandler(http.server.BaseHTTPRequestHandler):
    """The application behind decision_url (and the route's events_url)."""

    DECISIONS = {
        "webhook": (200, {"action": "app", "app": "tone", "tone_hz": 600, "metadata": {"ticket": "42"}}),
        "webhook-busy": (200, {"action": "reject", "status": 486}),
        "webhook-broken": (500, {"error": "down for maintenance"}),
    }

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/decide":
            request = json.loads(body)
            self.server.decisions.append(request)
            status, reply = self.DECISIONS.get(user_of(request.get("request_uri", "")), (404, {}))
        else:
            self.server.events.append(body)
            status, reply = 204, None
        data = b"" if reply is None else json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class DecisionServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__((LOCALHOST, 0), DecisionHandler)
        self.decisions = []
        self.events = []
        self.thread = threading.Thread(target=self.serve_forever, name="decision-webhook", daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]


def routing_config(opts: ServeOptions, webhook_port: int, workdir) -> str:
    """examples/routing.toml, listening where the test says, asking the
    test's webhook, with the API off and the CDR database in `workdir`."""
    text = EXAMPLE.read_text()
    listen = ", ".join(f'"{t}:{opts.host}:{opts.port}"' for t in opts.transports)
    text, count = re.subn(r"(?m)^listen = \[.*\]$", f"listen = [{listen}]", text)
    assert count == 1, "examples/routing.toml: expected one [sip] listen line"
    assert f"127.0.0.1:{EXAMPLE_WEBHOOK_PORT}/" in text, "examples/routing.toml: no webhook on port 9000"
    text = text.replace(f"127.0.0.1:{EXAMPLE_WEBHOOK_PORT}/", f"127.0.0.1:{webhook_port}/")
    return (f"worker_threads = {opts.threads}\n\n{text}\n"
            f'[api]\nlisten = ""\n\n[cdr]\npath = "{workdir / "cdr.db"}"\n')


class RoutingServer(VoxgateServer):
    """VoxgateServer started with the example's routes instead of the
    harness's generated configuration."""

    def __init__(self, webhook_port: int):
        super().__init__(ServeOptions(transports=("udp",)))
        self.webhook_port = webhook_port

    def start(self) -> "RoutingServer":
        self.config_path.write_text(routing_config(self.opts, self.webhook_port, self.workdir))
        command = harness.voxgate_serve_command(harness.voxgate_bin(), self.config_path, self.opts)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         cwd=self.workdir)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self


class Routing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        cls.webhook = DecisionServer()
        cls.webhook.thread.start()
        cls.server = RoutingServer(cls.webhook.port)
        try:
            try:
                cls.server.start()
            except harness.HarnessError as e:
                unknown = re.search(r"(routes|api|cdr)\S*: unknown setting", str(e))
                if unknown:
                    raise unittest.SkipTest(f"this voxgate predates the configuration the example needs "
                                            f"({unknown.group(0)})") from e
                raise
            cls.skip_unless_routing_is_wired()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.remove_work_dir(cls.server.workdir)
        cls.webhook.shutdown()
        cls.webhook.server_close()

    @classmethod
    def skip_unless_routing_is_wired(cls):
        result = cls.call_expecting("busy", 486)
        finals = [e.status for e in result.messages()
                  if e.direction == "received" and e.status and e.status >= 200 and e.cseq_method == "INVITE"]
        harness.remove_work_dir(result.workdir)
        if finals and finals[0] != 486:
            raise unittest.SkipTest(f"routing is not wired into `voxgate serve` yet: the `busy` route's call got "
                                    f"{finals[0]} instead of 486 (src/app/serve_command.cpp must use "
                                    f"RoutingCallPolicy)")

    @classmethod
    def call_expecting(cls, user: str, status: int) -> harness.SippResult:
        workdir = harness.work_dir("sipp")
        path = scenario_with_status(scenario("uac_final_status.xml"), status, workdir)
        return run_sipp(path, remote=cls.server.address, service=user, max_seconds=15, workdir=workdir)

    def sipp(self, name: str, user: str, duration_ms: int = 0) -> harness.SippResult:
        path = name if name == "uac" else scenario(name)
        result = run_sipp(path, remote=self.server.address, service=user, max_seconds=15,
                          extra=("-d", str(duration_ms)))
        self.addCleanup(harness.remove_work_dir, result.workdir)
        return result

    def expect_status(self, user: str, status: int) -> harness.SippResult:
        result = self.call_expecting(user, status)
        self.addCleanup(harness.remove_work_dir, result.workdir)
        result.assert_all_succeeded(self)
        return result

    def assert_answered(self, user: str, duration_ms: int = 300) -> harness.SippResult:
        result = self.sipp("uac", user, duration_ms)
        result.assert_all_succeeded(self)
        return result

    @staticmethod
    def ms_from_invite_to(result: harness.SippResult, status: int) -> float:
        entries = result.messages()
        invite = next(e.time for e in entries if e.direction == "sent" and e.method == "INVITE")
        final = next(e.time for e in entries
                     if e.direction == "received" and e.status == status and e.cseq_method == "INVITE")
        return (final - invite) * 1000

    @staticmethod
    def rang(result: harness.SippResult) -> bool:
        return any(e.direction == "received" and e.status == 180 for e in result.messages())

    # --- the example's routes ------------------------------------------------

    def test_echo_and_tone_are_answered_at_once(self):
        for user in ("echo", "tone"):
            with self.subTest(user=user):
                result = self.assert_answered(user)
                self.assertLess(self.ms_from_invite_to(result, 200), 1000, result.summary())

    def test_busy_is_rejected_486(self):
        self.expect_status("busy", 486)

    def test_ring_rings_2_s_then_answers(self):
        result = self.sipp("uac_ringing_then_answered.xml", "ring", duration_ms=200)
        result.assert_all_succeeded(self)
        self.assertGreaterEqual(self.ms_from_invite_to(result, 200), RING_MS - 50, result.summary())

    def test_no_answer_rings_until_max_ring_then_480(self):
        result = self.expect_status("no-answer", 480)
        self.assertTrue(self.rang(result), result.summary())
        self.assertGreaterEqual(self.ms_from_invite_to(result, 480), RING_MS - 50, result.summary())

    def test_hold_keeps_the_call_until_the_callers_bye(self):
        # Any BYE from voxgate during the 3 s fails SIPp's call.
        self.assert_answered("hold", duration_ms=3000)

    def test_park_rings_unanswered_until_cancelled(self):
        self.sipp("cancel_before_answer.xml", "park").assert_all_succeeded(self)

    def test_a_user_no_route_matches_gets_404(self):
        self.expect_status("nobody", 404)

    # --- decided by the webhook ----------------------------------------------

    def test_the_webhook_is_asked_and_its_app_answers(self):
        before = len(self.webhook.decisions)
        self.assert_answered("webhook")
        asked = self.webhook.decisions[before:]
        self.assertEqual(len(asked), 1, asked)
        request = asked[0]
        self.assertEqual(request["route"], "webhook")
        self.assertEqual(user_of(request["request_uri"]), "webhook")
        self.assertEqual(request["source"], LOCALHOST)
        self.assertTrue(request["session_id"] and request["call_id"], request)
        self.assertIn("Call-ID", [h["name"] for h in request["headers"]])
        # The reply's metadata landed on the session, over the route's: the
        # CDR (written off the worker loops, so polled) carries both.
        self.assertEqual(self.cdr_metadata(request["call_id"]), {"route": "webhook", "ticket": "42"})

    def cdr_metadata(self, call_id: str, timeout: float = 5.0) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while True:
            with sqlite3.connect(self.server.workdir / "cdr.db") as db:
                rows = db.execute("SELECT m.key, m.value FROM cdrs c JOIN cdr_metadata m ON m.cdr_id = c.id "
                                  "WHERE c.call_id = ?", (call_id,)).fetchall()
            if rows or time.monotonic() > deadline:
                return dict(rows)
            time.sleep(0.1)

    def test_the_webhook_can_reject(self):
        self.expect_status("webhook-busy", 486)

    def test_a_failing_webhook_takes_the_fallback(self):
        self.expect_status("webhook-broken", 503)


if __name__ == "__main__":
    harness.main()
