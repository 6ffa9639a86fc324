#!/usr/bin/env python3
"""voxgate serve under a steady SIPp load: 2,000 short calls (INVITE, 200,
ACK, BYE, 200) at 200 calls/s, over UDP and over TCP, must all succeed with
no unexpected message. The same load against SIPp's own uas proves the
harness (runs without voxgate).

Skips until voxgate is built with `serve --config`. Lifts voxgate's
per-source rate limit (all calls come from one address).
"""
import unittest

import harness
from harness import ServeOptions, SippProcess, VoxgateServer, run_sipp

CALLS = 2000
RATE = 200
# 10 s of calls; the bound leaves room for a slow, shared 2-core machine.
MAX_SECONDS = 60
LOAD_FLAGS = ["-d", "0", "-buff_size", "4194304", "-l", "2000"]


def run_load(test: unittest.TestCase, remote, transport: str) -> harness.SippResult:
    result = run_sipp("uac", remote=remote, transport=transport, calls=CALLS, rate=RATE, trace_msg=False,
                      max_seconds=MAX_SECONDS, extra=LOAD_FLAGS)
    test.addCleanup(harness.remove_work_dir, result.workdir)
    return result


def assert_clean_load(test: unittest.TestCase, result: harness.SippResult) -> None:
    result.assert_all_succeeded(test, CALLS)
    # Retransmissions are legal on UDP but show an overloaded peer: report them.
    if result.retransmissions:
        print(f"\n  note: {result.retransmissions} retransmissions during the load")


class VoxgateUnderLoad(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def load(self, transport: str) -> None:
        with VoxgateServer(ServeOptions(unlimited_rate=True)) as server:
            result = run_load(self, server.address, transport)
            still_up = harness.sip_probe(*server.address, transport, timeout=2)
            code = server.stop()
            log = server.log()
        assert_clean_load(self, result)
        self.assertIsNotNone(still_up, f"voxgate stopped answering after the load:\n{log}")
        self.assertEqual(code, 0, f"voxgate did not stop cleanly after the load:\n{log}")
        # Every session that started ended and is accounted for in the
        # registry: created = active + ended, none active at exit.
        self.assertRegex(log, rf"sessions: {CALLS} created, 0 active, {CALLS} ended", log)

    def test_2000_calls_at_200_per_second_over_udp_all_succeed(self):
        self.load("udp")

    def test_2000_calls_at_200_per_second_over_tcp_all_succeed(self):
        self.load("tcp")


class SippBaseline(unittest.TestCase):
    """The same load against SIPp's built-in uas: proves the load harness."""

    def setUp(self):
        harness.require_tool("sipp")

    def test_2000_calls_at_200_per_second_against_sipp_uas_over_udp_all_succeed(self):
        with SippProcess("uas", calls=None, trace_msg=False, max_seconds=MAX_SECONDS,
                         extra=["-buff_size", "4194304"]) as uas:
            result = run_load(self, uas.address, "udp")
        assert_clean_load(self, result)


if __name__ == "__main__":
    harness.main()
