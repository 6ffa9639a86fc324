#!/usr/bin/env python3
"""The control plane against a running `voxgate serve` (issue 6), over real
HTTP, WebSocket and SIP on 127.0.0.1:

  * every REST route: originate a call to a SIPp UAS, see it listed with
    its metadata, filter by state and metadata, patch the metadata, hang up
    with DELETE and find the CDR; bad input gets the documented error
    codes and the server stays up; no or a wrong token is refused;
  * GET /v1/events: a SIPp call's events in order, filters honoured, and a
    client that reconnects with its cursor misses nothing;
  * /metrics passes `promtool check metrics` during a call load and its
    counters match what SIPp counted;
  * SIGTERM during a 100-call load: a new call gets 503, /readyz says
    draining, every call ends with our BYE before the deadline, and the CDR
    store holds one row per call.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unittest
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "sip"))

import harness  # noqa: E402
from harness import ServeOptions, SippProcess, VoxgateServer, run_sipp  # noqa: E402

from api_client import Api  # noqa: E402
from ws_client import WebSocket  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
SCENARIOS = HERE / "scenarios"


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def metric_values(text: str, name: str) -> dict[str, float]:
    """{labels: value} of every sample of `name` ('' for no labels)."""
    values = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        key, _, value = line.rpartition(" ")
        rest = key[len(name):]
        if rest and not rest.startswith("{"):
            continue  # another metric with this prefix
        values[rest] = float(value)
    return values


class ApiTest(unittest.TestCase):
    server: VoxgateServer
    api: Api

    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_tool("sipp")
        cls.server = VoxgateServer(ServeOptions(transports=("udp",), api_tokens=(TOKEN,), unlimited_rate=True))
        cls.server.start()
        cls.api = Api(cls.server.api_url, TOKEN)
        wait_for(lambda: cls.api.get("/healthz")[0] == 200, 5, "the API")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            print(cls.server.log(), file=sys.stderr)
        harness.remove_work_dir(cls.server.workdir)

    def session(self, session_id: str) -> dict:
        status, body, _ = self.api.get(f"/v1/sessions/{session_id}")
        self.assertEqual(status, 200, body)
        return body

    def originate(self, uas: SippProcess, metadata: dict, **extra) -> str:
        status, body, _ = self.api.request("POST", "/v1/sessions", {
            "target": f"sip:service@{harness.LOCALHOST}:{uas.port}", "metadata": metadata, **extra})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["direction"], "outbound")
        self.assertEqual(body["metadata"], metadata)
        return body["id"]

    def wait_state(self, session_id: str, state: str, timeout: float = 10):
        return wait_for(lambda: self.session(session_id)["state"] == state, timeout, f"session {session_id} {state}")

    def assert_error(self, response, status: int, code: str):
        got_status, body, _ = response
        self.assertEqual(got_status, status, body)
        self.assertIsInstance(body, dict, body)
        self.assertEqual(set(body), {"code", "message", "details"}, body)
        self.assertEqual(body["code"], code, body)
        self.assertTrue(body["message"], body)

    # --- REST ----------------------------------------------------------------

    def test_originate_list_filter_patch_hang_up_and_find_the_cdr(self):
        run = uuid.uuid4().hex
        with SippProcess("uas", calls=1, max_seconds=30) as uas:
            session_id = self.originate(uas, {"campaign": "spring", "run": run}, app="tone")
            self.wait_state(session_id, "connected")

            status, page, _ = self.api.get(f"/v1/sessions?state=connected&meta.run={run}")
            self.assertEqual(status, 200, page)
            self.assertEqual([s["id"] for s in page["sessions"]], [session_id])
            self.assertEqual(page["sessions"][0]["metadata"]["campaign"], "spring")
            self.assertEqual(self.api.get(f"/v1/sessions?state=ringing,on_hold&meta.run={run}")[1]["sessions"], [])
            self.assertEqual(self.api.get(f"/v1/sessions?meta.run={run}&meta.campaign=autumn")[1]["sessions"], [])
            self.assertEqual(len(self.api.get(f"/v1/sessions?direction=outbound&to=service@&meta.run={run}")[1]
                                 ["sessions"]), 1)

            status, patched, _ = self.api.request("PATCH", f"/v1/sessions/{session_id}",
                                                  {"metadata": {"campaign": "summer", "note": "vip"}})
            self.assertEqual(status, 200, patched)
            self.assertEqual(patched["metadata"], {"campaign": "summer", "note": "vip", "run": run})
            status, patched, _ = self.api.request("PATCH", f"/v1/sessions/{session_id}", {"metadata": {"note": None}})
            self.assertEqual(patched["metadata"], {"campaign": "summer", "run": run})

            # The tone plays a moment first: the media clock's first tick is
            # 20 ms after a stream joins an idle loop, and the checks above
            # can take less than that.
            time.sleep(0.2)
            status, body, _ = self.api.request("DELETE", f"/v1/sessions/{session_id}?reason=Q.850%3Bcause%3D16")
            self.assertEqual(status, 204, body)
            ended = self.wait_state(session_id, "terminated")
            self.assertTrue(ended)
            record = self.session(session_id)
            self.assertEqual(record["end"]["by"], "local")
            self.assertEqual(record["end"]["reason"], "Q.850;cause=16")
            uas.result(timeout=10).assert_all_succeeded(self)

        cdrs = wait_for(lambda: self.api.get(f"/v1/cdrs?meta.run={run}")[1]["cdrs"], 5, "the CDR")
        self.assertEqual(len(cdrs), 1)
        cdr = cdrs[0]
        self.assertEqual(cdr["session_id"], session_id)
        self.assertEqual(cdr["direction"], "outbound")
        self.assertEqual(cdr["ended_by"], "local")
        self.assertEqual(cdr["codec"], "PCMU/8000")
        self.assertEqual(cdr["metadata"]["campaign"], "summer")
        self.assertGreater(cdr["duration_seconds"], 0)
        self.assertGreater(cdr["rtp"]["packets_sent"], 0)  # the tone went out

    def test_actions_hold_resume_dtmf_and_app(self):
        run = uuid.uuid4().hex
        with SippProcess(str(SCENARIOS / "uas_accepts_reinvites.xml"), calls=1, max_seconds=30) as uas:
            session_id = self.originate(uas, {"run": run})
            self.wait_state(session_id, "connected")
            status, body, _ = self.api.request("POST", f"/v1/sessions/{session_id}/hold")
            self.assertEqual(status, 200, body)
            self.wait_state(session_id, "on_hold")
            self.assertEqual(self.api.request("POST", f"/v1/sessions/{session_id}/resume")[0], 200)
            self.wait_state(session_id, "connected")
            status, body, _ = self.api.request("POST", f"/v1/sessions/{session_id}/app", {"app": "echo"})
            self.assertEqual(status, 200, body)
            # SIPp's built-in UAS offers no telephone-event: DTMF is refused as unsupported.
            self.assert_error(self.api.request("POST", f"/v1/sessions/{session_id}/dtmf", {"digits": "12#"}), 422,
                              "UNSUPPORTED")
            # Answering an established outbound call makes no sense.
            self.assert_error(self.api.request("POST", f"/v1/sessions/{session_id}/answer"), 409, "INVALID_STATE")
            self.assertEqual(self.api.request("DELETE", f"/v1/sessions/{session_id}")[0], 204)
            self.wait_state(session_id, "terminated")
            self.assert_error(self.api.request("DELETE", f"/v1/sessions/{session_id}"), 409, "INVALID_STATE")
            self.assert_error(self.api.request("POST", f"/v1/sessions/{session_id}/hold"), 409, "INVALID_STATE")
            uas.result(timeout=10).assert_all_succeeded(self)

    def test_bad_input_gets_the_documented_error_codes_and_the_server_stays_up(self):
        api = self.api
        self.assert_error(api.get("/v1/sessions/999999"), 404, "SESSION_NOT_FOUND")
        self.assert_error(api.get("/v1/sessions/abc"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.get("/v1/sessions?stat=connected"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.get("/v1/sessions?state=bogus"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.get("/v1/sessions?limit=0"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.get("/v1/sessions?created_after=yesterday"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.request("POST", "/v1/sessions", raw=b"{not json"), 400, "INVALID_ARGUMENT")
        self.assert_error(api.request("POST", "/v1/sessions", {}), 400, "INVALID_ARGUMENT")
        self.assert_error(api.request("POST", "/v1/sessions", {"target": "mailto:x@y"}), 400, "INVALID_ARGUMENT")
        self.assert_error(api.request("POST", "/v1/sessions", {"target": "sip:x@127.0.0.1", "metadata": {"a": 1}}),
                          400, "INVALID_ARGUMENT")
        self.assert_error(api.request("POST", "/v1/sessions", {"target": "sip:x@127.0.0.1", "app": "karaoke"}), 400,
                          "INVALID_ARGUMENT")
        self.assert_error(api.request("PATCH", "/v1/sessions/999999", {"metadata": {}}), 404, "SESSION_NOT_FOUND")
        self.assert_error(api.request("POST", "/v1/sessions/999999/hold"), 404, "SESSION_NOT_FOUND")
        self.assert_error(api.request("POST", "/v1/sessions/1/dance"), 404, "NOT_FOUND")
        self.assert_error(api.request("PUT", "/v1/sessions"), 405, "METHOD_NOT_ALLOWED")
        self.assert_error(api.get("/v1/nowhere"), 404, "NOT_FOUND")
        self.assert_error(api.get("/v1/cdrs?sip_status=abc"), 400, "INVALID_ARGUMENT")
        # A body over the limit is refused from its Content-Length, before it is sent.
        with socket.create_connection((harness.LOCALHOST, self.server.opts.api_port), timeout=5) as raw:
            raw.sendall(f"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                        f"Content-Length: {2 * 1024 * 1024}\r\n\r\n{{".encode())
            answer = raw.recv(4096)
            self.assertIn(b" 413 ", answer)
            self.assertIn(b"PAYLOAD_TOO_LARGE", answer)
        # Not HTTP at all.
        with socket.create_connection((harness.LOCALHOST, self.server.opts.api_port), timeout=5) as raw:
            raw.sendall(b"\x00\x01garbage\r\n\r\n")
            self.assertIn(b" 400 ", raw.recv(4096))
        self.assertEqual(api.get("/healthz")[0], 200)
        self.assertIsNone(self.server.proc.poll())

    def test_requests_without_the_right_token_are_refused(self):
        status, body, headers = self.api.get("/v1/sessions", token=None)
        self.assertEqual(status, 401)
        self.assertEqual(body["code"], "UNAUTHORIZED")
        self.assertIn("Bearer", headers.get("WWW-Authenticate", ""))
        self.assertEqual(self.api.get("/v1/sessions", token="wrong-token-0123456789")[0], 401)
        self.assertEqual(self.api.get("/metrics", token=None)[0], 401)
        self.assertEqual(self.api.get("/healthz", token=None)[0], 200)
        self.assertEqual(self.api.get("/readyz", token=None)[0], 200)
        ws = WebSocket(harness.LOCALHOST, self.server.opts.api_port, "/v1/events")
        self.assertEqual(ws.status, 401)
        self.assertIn("UNAUTHORIZED", ws.refusal_body)

    def test_the_openapi_document_describes_the_routes(self):
        status, document, _ = self.api.get("/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(document["openapi"].startswith("3."))
        for path in ("/v1/sessions", "/v1/sessions/{id}", "/v1/sessions/{id}/{action}", "/v1/cdrs", "/v1/events",
                     "/metrics", "/healthz", "/readyz"):
            self.assertIn(path, document["paths"])

    def test_a_traceparent_is_echoed(self):
        parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        _, _, headers = self.api.get("/v1/sessions", headers={"traceparent": parent})
        self.assertEqual(headers.get("traceparent"), parent)

    # --- events ----------------------------------------------------------------

    def events(self, ws: WebSocket, until, timeout: float = 15) -> list[dict]:
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = ws.receive(timeout=deadline - time.monotonic())
            if text is None:
                break
            got.append(json.loads(text))
            if until(got[-1]):
                return got
        raise AssertionError(f"the awaited event never came; got {[e['type'] for e in got]}")

    def test_events_of_a_call_arrive_in_order_filtered_and_resume_from_a_cursor(self):
        run = uuid.uuid4().hex
        auth = {"Authorization": f"Bearer {TOKEN}"}
        port = self.server.opts.api_port
        watcher = WebSocket(harness.LOCALHOST, port, f"/v1/events?meta.run={run}", auth)  # never disconnects
        first = WebSocket(harness.LOCALHOST, port, f"/v1/events?meta.run={run}", auth)
        self.assertEqual(first.status, 101, first.response_head)
        with SippProcess("uas", calls=2, max_seconds=30) as uas:
            session_id = self.originate(uas, {"run": run})
            other_id = self.originate(uas, {"run": "someone else"})
            before = self.events(first, lambda e: e["session"]["state"] == "connected")
            first.close()
            # While nobody listens on `first`: hang up.
            self.assertEqual(self.api.request("DELETE", f"/v1/sessions/{session_id}")[0], 204)
            self.wait_state(session_id, "terminated")
            cursor = before[-1]["seq"]
            second = WebSocket(harness.LOCALHOST, port, f"/v1/events?meta.run={run}&cursor={cursor}", auth)
            after = self.events(second, lambda e: e["type"] == "session.ended")
            second.close()
            everything = self.events(watcher, lambda e: e["type"] == "session.ended")
            watcher.close()
            self.assertEqual(self.api.request("DELETE", f"/v1/sessions/{other_id}")[0], 204)
            uas.result(timeout=10)

        resumed = before + after
        self.assertEqual([e["seq"] for e in resumed], [e["seq"] for e in everything])  # nothing lost, nothing twice
        seqs = [e["seq"] for e in resumed]
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertTrue(all(e["session"]["id"] == session_id for e in resumed))  # the filter held
        self.assertEqual(resumed[0]["type"], "session.created")
        versions = [e["session"]["version"] for e in resumed if e["type"].startswith("session.")]
        self.assertEqual(versions, sorted(versions))
        states = [e["session"]["state"] for e in resumed if e["type"].startswith("session.")]
        for earlier, later in (("dialing", "connected"), ("connected", "terminating"), ("terminating", "terminated")):
            self.assertLess(states.index(earlier), states.index(later), states)
        types = [e["type"] for e in resumed]
        self.assertIn("call.media_started", types)
        self.assertIn("call.media_stopped", types)
        self.assertLess(types.index("call.media_stopped"), types.index("session.ended"))

    # --- metrics -----------------------------------------------------------------

    def test_metrics_pass_promtool_during_a_call_load_and_count_what_sipp_did(self):
        calls = 30
        baseline = self.api.get("/metrics")[1]
        started_before = metric_values(baseline, "voxgate_calls_started_total").get('{direction="inbound"}', 0)
        ended_before = sum(metric_values(baseline, "voxgate_calls_ended_total").values())
        invites_before = metric_values(baseline, "voxgate_sip_requests_total").get(
            '{direction="in",method="INVITE"}', 0)
        with SippProcess("uac", remote=self.server.address, calls=calls, rate=15, max_seconds=60,
                         extra=("-d", "1500")) as uac:
            time.sleep(1.5)
            status, during, _ = self.api.get("/metrics")
            self.assertEqual(status, 200)
            promtool = shutil.which("promtool")
            if promtool:
                check = subprocess.run([promtool, "check", "metrics"], input=during.encode(), capture_output=True,
                                       timeout=30)
                self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            self.assertGreater(metric_values(during, "voxgate_sessions").get('{state="connected"}', 0), 0)
            result = uac.result(timeout=60)
        result.assert_all_succeeded(self, calls)
        after = wait_for(lambda: (lambda text: text if sum(metric_values(text, "voxgate_calls_ended_total").values())
                                  - ended_before >= calls else None)(self.api.get("/metrics")[1]), 10, "calls ended")
        started = metric_values(after, "voxgate_calls_started_total")['{direction="inbound"}'] - started_before
        ended = sum(metric_values(after, "voxgate_calls_ended_total").values()) - ended_before
        invites = metric_values(after, "voxgate_sip_requests_total")['{direction="in",method="INVITE"}'] - invites_before
        self.assertEqual(started, result.successful)
        self.assertEqual(ended, result.successful)
        # Every INVITE SIPp sent arrived (retransmissions, if any, count too).
        self.assertGreaterEqual(invites, result.successful)
        remote_ended = metric_values(after, "voxgate_calls_ended_total")
        self.assertTrue(any('ended_by="remote"' in labels for labels in remote_ended), remote_ended)
        setup = metric_values(after, "voxgate_call_setup_seconds_count")
        self.assertGreaterEqual(setup.get("", 0), calls)
        if shutil.which("promtool"):
            check = subprocess.run(["promtool", "check", "metrics"], input=after.encode(), capture_output=True,
                                   timeout=30)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)


class DrainTest(unittest.TestCase):
    def test_sigterm_during_a_100_call_load_refuses_new_calls_and_ends_every_call_with_a_cdr(self):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_tool("sipp")
        calls = 100
        server = VoxgateServer(ServeOptions(transports=("udp",), unlimited_rate=True, drain_timeout_ms=3000))
        server.start()
        try:
            api = Api(server.api_url)
            with SippProcess(str(SCENARIOS / "uac_until_bye.xml"), remote=server.address, calls=calls, rate=100,
                             max_seconds=60) as uac:
                wait_for(lambda: len(api.get("/v1/sessions?state=connected&limit=1000")[1]["sessions"]) == calls, 20,
                         f"{calls} connected calls")
                server.proc.send_signal(signal.SIGTERM)
                wait_for(lambda: api.get("/readyz")[0] == 503, 2, "readyz to say draining")
                late = run_sipp(str(SCENARIOS / "uac_expect_503.xml"), remote=server.address, calls=1,
                                max_seconds=10)
                late.assert_all_succeeded(self)
                harness.remove_work_dir(late.workdir)
                code = server.proc.wait(timeout=20)
                self.assertEqual(code, 0, server.log())
                result = uac.result(timeout=20)
            result.assert_all_succeeded(self, calls)  # each one got our BYE and answered it
            log = server.log_path.read_text(errors="replace")
            self.assertIn("drain deadline: hanging up", log)
            with sqlite3.connect(server.workdir / "voxgate-cdr.db") as db:
                rows = db.execute("SELECT COUNT(*) FROM cdrs").fetchone()[0]
            self.assertEqual(rows, calls, log[-3000:])  # one CDR per call started; the refused one has none
        finally:
            server.stop()
            harness.remove_work_dir(server.workdir)


if __name__ == "__main__":
    harness.main()
