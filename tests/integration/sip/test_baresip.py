#!/usr/bin/env python3
"""baresip, a real SIP user agent, as caller and callee, headless on the
loopback (harness.start_baresip: ctrl_tcp control, aubridge audio, no
registration, auto-answer).

BaresipWithSipp proves the baresip harness against SIPp and runs today;
BaresipWithVoxgate skips until voxgate serve / voxgate call exist.
"""
import unittest

import harness
from harness import (SippProcess, baresip_dial, baresip_hangup, baresip_wait_closed, baresip_wait_established,
                     run_sipp, start_baresip)

TRANSPORTS = ("udp", "tcp")


class BaresipCase(unittest.TestCase):
    def setUp(self):
        harness.require_tool("baresip")
        self.workdir = harness.work_dir("baresip")
        self.addCleanup(harness.remove_work_dir, self.workdir)

    def baresip(self, name: str):
        bs = start_baresip(self.workdir / name)
        self.addCleanup(bs.stop)
        return bs

    def assert_baresip_call_answered_then_hung_up(self, bs, uri: str) -> None:
        baresip_dial(bs, uri)
        established = baresip_wait_established(bs)
        self.assertEqual(established.get("direction"), "outgoing", established)
        baresip_hangup(bs)
        baresip_wait_closed(bs)


class BaresipWithSipp(BaresipCase):
    def setUp(self):
        super().setUp()
        harness.require_tool("sipp")

    def test_baresip_call_to_sipp_uas_is_answered_and_hung_up_with_bye(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                bs = self.baresip(f"caller-{transport}")
                with SippProcess("uas", transport=transport, calls=1, max_seconds=30) as uas:
                    self.assert_baresip_call_answered_then_hung_up(bs, f"sip:service@{uas.uri_host}")
                    # SIPp's uas saw INVITE, ACK, BYE and answered them.
                    uas.result(timeout=15).assert_all_succeeded(self)

    def test_sipp_uac_call_to_baresip_is_auto_answered(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                bs = self.baresip(f"callee-{transport}")
                result = run_sipp("uac", remote=(harness.LOCALHOST, bs.sip_port), transport=transport,
                                  service="test", max_seconds=20, extra=["-d", "500"])
                self.addCleanup(harness.remove_work_dir, result.workdir)
                result.assert_all_succeeded(self)
                event = baresip_wait_established(bs)
                self.assertEqual(event.get("direction"), "incoming", event)
                baresip_wait_closed(bs)


class BaresipWithVoxgate(BaresipCase):
    def test_baresip_call_to_voxgate_serve_is_answered_and_hung_up_with_bye(self):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        with harness.VoxgateServer() as server:
            for transport in TRANSPORTS:
                with self.subTest(transport=transport):
                    bs = self.baresip(f"caller-{transport}")
                    suffix = ";transport=tcp" if transport == "tcp" else ""
                    self.assert_baresip_call_answered_then_hung_up(
                        bs, f"sip:service@{server.opts.host}:{server.opts.port}{suffix}")
            self.assertIsNotNone(harness.sip_probe(*server.address, "udp", timeout=2), server.log())
            self.assertEqual(server.stop(), 0, server.describe_exit())

    def test_voxgate_call_to_baresip_is_auto_answered_and_hung_up_by_voxgate(self):
        harness.require_voxgate("call", harness.CALL_OPTIONS)
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                bs = self.baresip(f"callee-{transport}")
                outcome = harness.run_voxgate_call(bs.uri("test", transport), transport=transport, duration_ms=500)
                self.assertEqual((outcome.returncode, outcome.status), (0, 200), outcome.describe())
                event = baresip_wait_established(bs)
                self.assertEqual(event.get("direction"), "incoming", event)
                # voxgate's BYE ended it.
                baresip_wait_closed(bs)


if __name__ == "__main__":
    harness.main()
