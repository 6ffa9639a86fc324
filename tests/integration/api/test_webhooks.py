#!/usr/bin/env python3
"""Signed webhooks from a running `voxgate serve` (issue 6): a route names
an events URL; a SIPp call on that route makes voxgate POST the call's
events to a test receiver, which answers 500 twice before accepting. The
test checks every delivery's HMAC-SHA256 signature the way a receiver
should (docs/API.md), that the refused event came again with the same
event id and attempt numbers 1, 2, 3, that events arrive in order, and
that /metrics counts the retries and deliveries.
"""
from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import sys
import threading
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "sip"))

import harness  # noqa: E402
from harness import ServeOptions, VoxgateServer, run_sipp  # noqa: E402

from api_client import Api  # noqa: E402

SECRET = "whsec-test-4f1c2a"


class Receiver(http.server.ThreadingHTTPServer):
    """Answers 500 to the first `failures` POSTs, then 200; keeps them all."""

    def __init__(self, failures: int):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.failures = failures
        self.deliveries: list[dict] = []
        self.lock = threading.Lock()


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            status = 500 if len(self.server.deliveries) < self.server.failures else 200
            self.server.deliveries.append({"headers": dict(self.headers), "body": body, "answered": status})
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def verify(header: str, body: bytes, secret: str, tolerance: float = 300) -> bool:
    """What a receiver does: t=<unix>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


class WebhookTest(unittest.TestCase):
    def test_signed_events_are_retried_after_500_and_arrive_in_order(self):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_tool("sipp")
        receiver = Receiver(failures=2)
        thread = threading.Thread(target=receiver.serve_forever, daemon=True)
        thread.start()
        routes = f'''
[[routes]]
name = "hooked"
match = {{ user = "hooked" }}
action = "app"
app = "echo"
metadata = {{ team = "hooks" }}
events_url = "http://127.0.0.1:{receiver.server_address[1]}/events"
events_secret = "{SECRET}"
'''
        server = VoxgateServer(ServeOptions(transports=("udp",), extra_toml=routes))
        server.start()
        try:
            result = run_sipp("uac", remote=server.address, service="hooked", calls=1, max_seconds=20,
                              extra=("-d", "500"))
            result.assert_all_succeeded(self)
            harness.remove_work_dir(result.workdir)

            def ended_delivered():
                with receiver.lock:
                    return any(d["answered"] == 200 and json.loads(d["body"])["type"] == "session.ended"
                               for d in receiver.deliveries)
            deadline = time.monotonic() + 20
            while not ended_delivered():
                self.assertLess(time.monotonic(), deadline, "session.ended was never delivered")
                time.sleep(0.05)
            metrics = Api(server.api_url).get("/metrics")[1]
        finally:
            server.stop()
            receiver.shutdown()
            harness.remove_work_dir(server.workdir)

        deliveries = receiver.deliveries
        for d in deliveries:
            self.assertEqual(d["headers"]["Content-Type"], "application/json")
            self.assertTrue(verify(d["headers"]["X-Voxgate-Signature"], d["body"], SECRET), d["headers"])
            self.assertFalse(verify(d["headers"]["X-Voxgate-Signature"], d["body"] + b" ", SECRET))
            self.assertFalse(verify(d["headers"]["X-Voxgate-Signature"], d["body"], "another secret"))
        # The first event was refused twice, then accepted: the same event,
        # attempts 1, 2, 3.
        first_three = deliveries[:3]
        self.assertEqual([d["answered"] for d in first_three], [500, 500, 200])
        self.assertEqual(len({d["headers"]["X-Voxgate-Event-Id"] for d in first_three}), 1)
        self.assertEqual([d["headers"]["X-Voxgate-Delivery-Attempt"] for d in first_three], ["1", "2", "3"])
        self.assertEqual(len({d["body"] for d in first_three}), 1)
        # Accepted events: each once, in order, all of this route's session.
        accepted = [json.loads(d["body"]) for d in deliveries if d["answered"] == 200]
        seqs = [e["seq"] for e in accepted]
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertEqual(accepted[0]["type"], "session.created")
        self.assertEqual(accepted[-1]["type"], "session.ended")
        self.assertEqual(len({e["session"]["id"] for e in accepted}), 1)
        # The route's metadata lands just after the session is created (the
        # route is chosen for a session that exists), so it is on every
        # event but the first.
        self.assertTrue(all(e["session"]["metadata"].get("route") == "hooked" for e in accepted[1:]))
        self.assertEqual(accepted[-1]["session"]["metadata"].get("team"), "hooks")
        ids = [int(d["headers"]["X-Voxgate-Event-Id"]) for d in deliveries if d["answered"] == 200]
        self.assertEqual(ids, sorted(set(ids)))
        self.assertIn('voxgate_webhook_retries_total 2', metrics)
        self.assertIn(f'voxgate_webhook_deliveries_total{{outcome="delivered"}} {len(accepted)}', metrics)


if __name__ == "__main__":
    harness.main()
