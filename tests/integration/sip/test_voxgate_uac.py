#!/usr/bin/env python3
"""voxgate call as a UAC against SIPp callees, over UDP and TCP: answered
(SIPp's built-in uas), busy (scenarios/uas_486.xml) and never answered
(scenarios/uas_no_answer.xml). The SIPp side checks what voxgate sends (ACK,
BYE, CANCEL, the ACK for the 486/487); voxgate's own report is checked here.

Skips until voxgate has a `call` command with harness.CALL_OPTIONS. Assumes
what harness.voxgate_call_command() and parse_call_outcome() encode.
"""
import unittest

import harness
from harness import SippProcess, run_voxgate_call, scenario

TRANSPORTS = ("udp", "tcp")


class VoxgateCall(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("call", harness.CALL_OPTIONS)

    def call(self, callee: str, transport: str, **call_args):
        with SippProcess(callee, transport=transport, calls=1, max_seconds=30) as uas:
            outcome = run_voxgate_call(f"sip:service@{uas.uri_host}", transport=transport, **call_args)
            sipp = uas.result(timeout=20)
        return outcome, sipp

    def test_call_answered_by_sipp_uas_is_reported_200_acked_and_hung_up_with_bye(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                outcome, sipp = self.call("uas", transport, duration_ms=300)
                self.assertEqual((outcome.returncode, outcome.status), (0, 200), outcome.describe())
                # SIPp's uas got the ACK and the BYE and answered the BYE.
                sipp.assert_all_succeeded(self)

    def test_busy_callee_is_reported_486_and_its_486_is_acked(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                outcome, sipp = self.call(scenario("uas_486.xml"), transport)
                self.assertEqual(outcome.status, 486, outcome.describe())
                self.assertNotEqual(outcome.returncode, 0, outcome.describe())
                sipp.assert_all_succeeded(self)

    def test_callee_that_never_answers_is_cancelled_at_the_timeout_and_reported_408(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                outcome, sipp = self.call(scenario("uas_no_answer.xml"), transport, timeout_ms=1000)
                self.assertEqual(outcome.status, 408, outcome.describe())
                self.assertNotEqual(outcome.returncode, 0, outcome.describe())
                self.assertGreaterEqual(outcome.seconds, 0.9, outcome.describe())
                self.assertLess(outcome.seconds, 10, outcome.describe())
                # The CANCEL came, and the 487 was ACKed.
                sipp.assert_all_succeeded(self)


if __name__ == "__main__":
    harness.main()
