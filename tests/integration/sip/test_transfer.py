#!/usr/bin/env python3
"""Blind transfer (REFER, RFC 3515) over real SIP on 127.0.0.1, with SIPp as
the transferee (the caller voxgate answered):

  * the voice bot's menu: the caller presses 1, whose choice is
    `action = "transfer"`; the bot says its last words, voxgate sends the
    REFER (Refer-To the menu's target), SIPp accepts it (202) and NOTIFYs
    100 Trying then 200 OK: voxgate must hang up with a BYE whose Reason
    says so; the session ends with cause `transferred`, the CDR too, and
    /v1/events carried call.transfer_* and the bot's bot.transfer;
  * the same whose target is busy (NOTIFY 486): the bot says
    bot.transfer_failed, speaks its fallback prompt and hangs up;
  * POST /v1/sessions/{id}/transfer on a call the echo app serves: 202;
    SIPp NOTIFYs 100 then 486 Busy Here: voxgate must NOT hang up (SIPp
    fails on any request during its 2 s pause), the session is back in
    `connected`, and SIPp hangs up; the API's 400 and 404 on the way, 409
    once the call has ended.

Scenarios: scenarios/transfer_bot_transferee.xml,
scenarios/transfer_bot_target_busy.xml, scenarios/transfer_api_busy_target.xml.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "api"))

import harness  # noqa: E402
from harness import ServeOptions, SippProcess, VoxgateServer  # noqa: E402

from api_client import Api  # noqa: E402
from ws_client import WebSocket, WebSocketError  # noqa: E402

SCENARIOS = HERE / "scenarios"
TARGET = "sip:desk@127.0.0.1:5099"  # never called: the transferee (SIPp) only reports

TRANSFER_MENU = f"""
[bot.menu]
start = "ask"
[[bot.menu.states]]
name = "ask"
prompt = "Press one."
reprompt = "Still there?"
[[bot.menu.states.choices]]
digits = "1"
say = "Transferring."
action = "transfer"
transfer_to = "{TARGET}"
"""


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def journal(server: VoxgateServer, quiet_s: float = 1.0) -> list[dict]:
    """Every retained event (/v1/events?cursor=0), read until the feed is
    quiet for `quiet_s`."""
    ws = WebSocket(harness.LOCALHOST, server.opts.api_port, "/v1/events?cursor=0")
    if ws.status != 101:
        raise harness.HarnessError(f"/v1/events refused: {ws.status}")
    events = []
    try:
        while True:
            try:
                text = ws.receive(timeout=quiet_s)
            except (TimeoutError, OSError, WebSocketError):
                break
            if text is None:
                break
            events.append(json.loads(text))
    finally:
        ws.close()
    return events


def types_of(events: list[dict], prefix: str) -> list[str]:
    return [e["type"] for e in events if e["type"].startswith(prefix)]


class TransferTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_tool("sipp")

    def start_server(self, **opts) -> tuple[VoxgateServer, Api]:
        server = VoxgateServer(ServeOptions(transports=("udp",), **opts))
        server.start()
        self.addCleanup(harness.remove_work_dir, server.workdir)
        self.addCleanup(server.stop)
        api = Api(server.api_url)
        wait_for(lambda: api.get("/healthz")[0] == 200, 5, "the API")
        return server, api

    def only_session(self, api: Api) -> dict:
        def one():
            status, body, _ = api.get("/v1/sessions")
            return body["sessions"][0] if status == 200 and body["sessions"] else None
        return wait_for(one, 10, "the call's session")

    def sipp_result(self, sipp: SippProcess, server: VoxgateServer):
        result = sipp.result(timeout=40)
        if result.successful != 1:
            messages = harness.read_text(sipp.workdir / "messages.log")[-6000:]
            self.fail(f"SIPp: {result.summary()}\nmessages:\n{messages}\nvoxgate log:\n"
                      f"{server.log_path.read_text(errors='replace')[-4000:]}")
        return result

    def test_the_bot_menu_transfers_and_voxgate_hangs_up_once_the_target_answered(self):
        server, api = self.start_server(media={"app": "bot"}, extra_toml=TRANSFER_MENU)
        with SippProcess(str(SCENARIOS / "transfer_bot_transferee.xml"), remote=server.address,
                         max_seconds=40) as sipp:
            self.sipp_result(sipp, server)
        session = self.only_session(api)
        ended = wait_for(lambda: api.get(f"/v1/sessions/{session['id']}")[1].get("end"), 5, "the session's end")
        self.assertEqual(ended["cause"], "transferred", ended)
        self.assertEqual(ended["by"], "local", ended)
        self.assertIn("Call transferred", ended["reason"])

        events = journal(server)
        self.assertEqual(types_of(events, "call.transfer"),
                         ["call.transfer_requested", "call.transfer_accepted", "call.transfer_progress",
                          "call.transfer_succeeded"])
        requested = next(e for e in events if e["type"] == "call.transfer_requested")
        self.assertEqual(requested["target"], TARGET)
        self.assertEqual(requested["session"]["state"], "transferring")
        progress = next(e for e in events if e["type"] == "call.transfer_progress")
        self.assertEqual(progress["status"], 100)
        succeeded = next(e for e in events if e["type"] == "call.transfer_succeeded")
        self.assertEqual(succeeded["status"], 200)
        transfer = [e for e in events if e["type"] == "bot.transfer"]
        self.assertEqual(len(transfer), 1, types_of(events, ""))
        self.assertEqual(transfer[0]["target"], TARGET)
        self.assertIs(transfer[0]["supported"], True)
        # The bot's last words were played before the REFER went out.
        said = [e["text"] for e in events if e["type"] == "bot.say"]
        self.assertIn("Transferring.", said)
        self.assertLess(
            max(e["seq"] for e in events if e["type"] == "bot.say"), requested["seq"])

        server.stop()
        with sqlite3.connect(server.workdir / "voxgate-cdr.db") as db:
            causes = [row[0] for row in db.execute("SELECT cause FROM cdrs")]
        self.assertEqual(causes, ["transferred"])

    def test_when_the_bots_transfer_fails_it_says_the_fallback_prompt_then_hangs_up(self):
        server, api = self.start_server(media={"app": "bot"}, bot={"fallback_prompt": "Sorry, that did not work."},
                                        extra_toml=TRANSFER_MENU)
        with SippProcess(str(SCENARIOS / "transfer_bot_target_busy.xml"), remote=server.address,
                         max_seconds=40) as sipp:
            self.sipp_result(sipp, server)
        session = self.only_session(api)
        ended = wait_for(lambda: api.get(f"/v1/sessions/{session['id']}")[1].get("end"), 5, "the session's end")
        self.assertEqual(ended["cause"], "hangup_local", ended)
        events = journal(server)
        self.assertEqual(types_of(events, "call.transfer"),
                         ["call.transfer_requested", "call.transfer_accepted", "call.transfer_progress",
                          "call.transfer_failed"])
        failed = [e for e in events if e["type"] == "bot.transfer_failed"]
        self.assertEqual([(e["target"], e["status"]) for e in failed], [(TARGET, 486)])
        # The apology comes after the failure, and the hang-up after it.
        apology = [e for e in events if e["type"] == "bot.say" and e["text"] == "Sorry, that did not work."]
        self.assertEqual(len(apology), 1, [e.get("text") for e in events if e["type"] == "bot.say"])
        self.assertGreater(apology[0]["seq"], failed[0]["seq"])
        self.assertEqual(apology[0]["session"]["state"], "connected")

    def test_a_transfer_the_api_asks_for_whose_target_is_busy_leaves_the_call_up(self):
        server, api = self.start_server(media={"app": "echo"})
        with SippProcess(str(SCENARIOS / "transfer_api_busy_target.xml"), remote=server.address,
                         max_seconds=40) as sipp:
            session = self.only_session(api)
            wait_for(lambda: api.get(f"/v1/sessions/{session['id']}")[1]["state"] == "connected", 10,
                     "the call to be connected")
            path = f"/v1/sessions/{session['id']}/transfer"
            # The documented refusals first: nothing is sent for them.
            self.assertEqual(api.request("POST", path, {"target": "mailto:desk@example.com"})[0], 400)
            self.assertEqual(api.request("POST", path, {})[0], 400)
            self.assertEqual(api.request("POST", "/v1/sessions/987654/transfer", {"target": TARGET})[0], 404)
            status, body, _ = api.request("POST", path, {"target": TARGET})
            self.assertEqual(status, 202, body)
            # SIPp answers at once: the transfer may have failed already
            # when the API reads the session back (the events say
            # transferring, in order, below).
            self.assertIn(body["state"], ("transferring", "connected"), body)
            wait_for(lambda: api.get(f"/v1/sessions/{session['id']}")[1]["state"] == "connected", 10,
                     "the failed transfer to leave the call connected")
            self.assertEqual(api.get(f"/v1/sessions/{session['id']}")[1]["last_cause"], "transfer_failed")
            self.sipp_result(sipp, server)  # no BYE from voxgate during its pause; its own BYE answered
        ended = wait_for(lambda: api.get(f"/v1/sessions/{session['id']}")[1].get("end"), 5, "the session's end")
        self.assertEqual(ended["cause"], "hangup_remote", ended)
        # A call that has ended cannot be transferred: 409.
        self.assertEqual(api.request("POST", path, {"target": TARGET})[0], 409)
        events = journal(server)
        self.assertEqual(types_of(events, "call.transfer"),
                         ["call.transfer_requested", "call.transfer_accepted", "call.transfer_progress",
                          "call.transfer_failed"])
        requested = next(e for e in events if e["type"] == "call.transfer_requested")
        self.assertEqual(requested["session"]["state"], "transferring")
        failed = next(e for e in events if e["type"] == "call.transfer_failed")
        self.assertEqual((failed["target"], failed["status"]), (TARGET, 486))
        self.assertEqual(failed["session"]["state"], "connected")


if __name__ == "__main__":
    harness.main()
