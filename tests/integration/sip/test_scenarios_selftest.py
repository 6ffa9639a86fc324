#!/usr/bin/env python3
"""The SIPp scenarios and the harness, proven against SIPp itself.

Each scenario that voxgate will face is run against a SIPp stand-in that
behaves as a correct voxgate would (it must pass) and, where it matters,
against one that does not (it must fail: a scenario that cannot fail proves
nothing). The UAS scenarios that answer voxgate call are run against SIPp
callers that behave as voxgate call should. Needs only SIPp: runs today.
"""
import os
import time
import unittest
from unittest import mock

import harness
from harness import SippProcess, run_sipp, scenario

TRANSPORTS = ("udp", "tcp")


class ScenarioCase(unittest.TestCase):
    """Runs a client scenario against a stand-in server, over each transport."""

    def setUp(self):
        harness.require_tool("sipp")

    def run_pair(self, client: str, server: str, transport: str, *, keys=None, server_keys=None,
                 max_seconds: float = 20):
        server_keys = dict(server_keys or {})
        if "status" in server_keys:
            tmp = harness.work_dir("stand-in")
            self.addCleanup(harness.remove_work_dir, tmp)
            server = harness.scenario_with_status(server, int(server_keys.pop("status")), tmp)
        with SippProcess(server, transport=transport, keys=server_keys, max_seconds=max_seconds) as uas:
            result = run_sipp(scenario(client) if client not in ("uac", "uas") else client, remote=uas.address,
                              transport=transport, keys=keys, max_seconds=max_seconds)
            self.addCleanup(harness.remove_work_dir, result.workdir)
            server_result = uas.result(timeout=max_seconds + 5)
        return result, server_result

    def assert_passes(self, client, server, *, server_keys=None, max_seconds=20):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                result, server_result = self.run_pair(client, server, transport, server_keys=server_keys,
                                                      max_seconds=max_seconds)
                result.assert_all_succeeded(self)
                server_result.assert_all_succeeded(self)

    def assert_fails(self, client, server, *, server_keys=None, max_seconds=10):
        result, _ = self.run_pair(client, server, "udp", server_keys=server_keys, max_seconds=max_seconds)
        result.assert_failed(self)
        return result


def stand_in(name: str) -> str:
    return str(harness.SELFTEST_SCENARIOS / name)


REJECT = stand_in("uas_invite_final.xml")
NO_HEADER = "X-Stand-In: 1"


class CancelBeforeAnswer(ScenarioCase):
    def test_passes_when_the_callee_sends_100_then_200_to_cancel_and_487(self):
        self.assert_passes("cancel_before_answer.xml", stand_in("uas_trying_then_cancelled.xml"))

    def test_passes_when_the_callee_rings_without_100(self):
        self.assert_passes("cancel_before_answer.xml", stand_in("uas_ringing_then_cancelled.xml"))

    def test_fails_when_the_callee_answers_at_once(self):
        self.assert_fails("cancel_before_answer.xml", "uas")


class RejectedInvites(ScenarioCase):
    def test_unsupported_codec_passes_on_488_with_warning(self):
        self.assert_passes("unsupported_codec.xml", REJECT, server_keys={
            "status": "488", "reason": "Not Acceptable Here",
            "extra": 'Warning: 305 stand-in "Incompatible media format"'})

    def test_unsupported_codec_fails_on_488_without_warning(self):
        result = self.assert_fails("unsupported_codec.xml", REJECT, server_keys={
            "status": "488", "reason": "Not Acceptable Here", "extra": NO_HEADER})
        self.assertIn("Warning", result.errors())

    def test_unsupported_codec_fails_when_the_call_is_answered(self):
        self.assert_fails("unsupported_codec.xml", "uas")

    def test_require_unknown_passes_on_420_listing_the_extension(self):
        self.assert_passes("require_unknown.xml", REJECT, server_keys={
            "status": "420", "reason": "Bad Extension", "extra": "Unsupported: foo, x-unknown-ext"})

    def test_require_unknown_fails_when_unsupported_names_another_extension(self):
        self.assert_fails("require_unknown.xml", REJECT, server_keys={
            "status": "420", "reason": "Bad Extension", "extra": "Unsupported: x-unknown-ext2"})

    def test_max_forwards_zero_passes_on_483(self):
        self.assert_passes("max_forwards_zero.xml", REJECT, server_keys={
            "status": "483", "reason": "Too Many Hops", "extra": NO_HEADER})

    def test_max_forwards_zero_fails_when_the_call_is_answered(self):
        self.assert_fails("max_forwards_zero.xml", "uas")


class ByeAndOptions(ScenarioCase):
    BYE = stand_in("uas_bye_response.xml")
    OPTIONS = stand_in("uas_options.xml")

    def test_bye_unknown_dialog_passes_on_481(self):
        self.assert_passes("bye_unknown_dialog.xml", self.BYE,
                           server_keys={"status": "481", "reason": "Call/Transaction Does Not Exist"})

    def test_bye_unknown_dialog_fails_on_200(self):
        self.assert_fails("bye_unknown_dialog.xml", self.BYE, server_keys={"status": "200", "reason": "OK"})

    def test_options_passes_with_the_five_methods_in_one_allow(self):
        self.assert_passes("options.xml", self.OPTIONS, server_keys={
            "allow": "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO", "extra": NO_HEADER})

    def test_options_passes_with_the_methods_split_over_two_allow_headers(self):
        self.assert_passes("options.xml", self.OPTIONS, server_keys={
            "allow": "INVITE,ACK,CANCEL", "extra": "Allow: BYE,OPTIONS"})

    def test_options_fails_when_allow_lacks_bye(self):
        result = self.assert_fails("options.xml", self.OPTIONS, server_keys={
            "allow": "INVITE, ACK, CANCEL, OPTIONS, BYEBYE", "extra": NO_HEADER})
        self.assertIn("BYE", result.errors())

    def test_options_fails_without_allow(self):
        self.assert_fails("options.xml", self.OPTIONS, server_keys={"allow": "", "extra": NO_HEADER})


class DelayedOffer(ScenarioCase):
    def test_passes_against_a_callee_that_offers_pcmu_in_its_200(self):
        # SIPp's built-in uas offers PCMU in its 200 whatever the INVITE had.
        self.assert_passes("delayed_offer.xml", "uas")

    def test_fails_when_the_200_has_no_sdp(self):
        self.assert_fails("delayed_offer.xml", REJECT, server_keys={"status": "200", "reason": "OK",
                                                                   "extra": NO_HEADER})


class NoAckAfter200(ScenarioCase):
    """The scenario plus the harness's timing check (T1 = 50 ms)."""

    def run_no_ack(self, server: str, transport: str):
        result, server_result = self.run_pair("no_ack_after_200.xml", stand_in(server), transport, max_seconds=20)
        result.assert_all_succeeded(self)
        server_result.assert_all_succeeded(self)
        return harness.retransmission_timing(result.messages())

    def test_retransmitted_200_then_bye_after_64_t1_passes_timing(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                timing = self.run_no_ack("uas_no_ack_retransmits.xml", transport)
                harness.check_2xx_retransmission(self, timing, t1_ms=50)
                self.assertEqual(len(timing.retransmissions), 6, timing.describe())

    def test_a_200_that_is_never_retransmitted_fails_timing(self):
        timing = self.run_no_ack("uas_no_ack_silent.xml", "udp")
        with self.assertRaises(AssertionError):
            harness.check_2xx_retransmission(self, timing, t1_ms=50)

    def test_a_200_retransmitted_at_a_fixed_interval_fails_timing(self):
        # Synthetic: T1 spacing without doubling must not pass.
        timing = harness.RetransmissionTiming(0.0, [0.05 * i for i in range(1, 64)], 3.2)
        with self.assertRaises(AssertionError):
            harness.check_2xx_retransmission(self, timing, t1_ms=50)


class CalleeScenariosForVoxgateCall(ScenarioCase):
    """uas_486.xml and uas_no_answer.xml against SIPp callers that behave as
    voxgate call must."""

    def test_uas_486_is_acked_by_a_correct_caller(self):
        self.assert_passes("uac_busy.xml", scenario("uas_486.xml"))

    def test_uas_no_answer_is_cancelled_by_a_correct_caller(self):
        self.assert_passes("uac_gives_up.xml", scenario("uas_no_answer.xml"))

    def test_uas_486_fails_when_the_caller_expected_an_answer(self):
        # The built-in uac expects 200; SIPp's callee must not report success.
        with SippProcess(scenario("uas_486.xml"), transport="udp", max_seconds=15) as uas:
            result = run_sipp("uac", remote=uas.address, max_seconds=15)
            self.addCleanup(harness.remove_work_dir, result.workdir)
        result.assert_failed(self)


class VoxgateServerAgainstAFake(ScenarioCase):
    """VoxgateServer's start (config file, readiness probe), the skip logic
    and stop, with fake_voxgate.py in place of voxgate: it answers OPTIONS
    and BYE the way voxgate must, and 501 to everything else."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.dict(os.environ, {"VOXGATE_BIN": str(harness.HERE / "fake_voxgate.py")})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_fake_passes_the_skip_check_for_serve_but_not_for_call(self):
        self.assertIsNone(harness.voxgate_missing("serve", harness.SERVE_OPTIONS))
        self.assertIn("no `call` command", harness.voxgate_missing("call", harness.CALL_OPTIONS))

    def test_out_of_dialog_scenarios_pass_and_a_rejected_invite_fails(self):
        with harness.VoxgateServer() as server:
            for transport in TRANSPORTS:
                for name in ("options.xml", "bye_unknown_dialog.xml"):
                    with self.subTest(transport=transport, scenario=name):
                        result = run_sipp(scenario(name), remote=server.address, transport=transport)
                        self.addCleanup(harness.remove_work_dir, result.workdir)
                        result.assert_all_succeeded(self)
            result = run_sipp(scenario("max_forwards_zero.xml"), remote=server.address)
            self.addCleanup(harness.remove_work_dir, result.workdir)
            result.assert_failed(self)
            self.assertEqual(result.unexpected, 1, result.summary())
            self.assertEqual(server.stop(), 0, server.describe_exit())
            self.assertIn("fake voxgate stopped", server.log())

    def test_a_server_that_exits_at_start_fails_with_its_log(self):
        server = harness.VoxgateServer()
        self.addCleanup(harness.remove_work_dir, server.workdir)
        # The fake dies on a config it cannot parse, as voxgate must.
        with mock.patch.object(harness, "serve_config_toml", return_value="not = [toml"), \
                self.assertRaisesRegex(harness.HarnessError, "(?s)exited with 1 .*TOMLDecodeError"):
            server.start()


class HarnessPieces(unittest.TestCase):
    def test_free_port_is_bindable_for_udp_and_tcp(self):
        import socket
        port = harness.free_port()
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            with socket.socket(socket.AF_INET, kind) as s:
                s.bind((harness.LOCALHOST, port))

    def test_sip_probe_returns_none_when_nobody_listens(self):
        self.assertIsNone(harness.sip_probe(harness.LOCALHOST, harness.free_port(), "udp", timeout=0.2))
        self.assertIsNone(harness.sip_probe(harness.LOCALHOST, harness.free_port(), "tcp", timeout=0.2))

    def test_sip_probe_sees_a_sipp_answer_to_options(self):
        harness.require_tool("sipp")
        with SippProcess(stand_in("uas_options.xml"), keys={"allow": "OPTIONS", "extra": NO_HEADER}) as uas:
            self.assertEqual(harness.sip_probe(*uas.address, "udp", timeout=2), "SIP/2.0 200 OK")

    def test_invite_to_200_latency_is_read_per_call_from_short_messages(self):
        log = "\n".join([
            "d\tt\t100.000000\tS\tc1\tCSeq:1 INVITE\tINVITE sip:x SIP/2.0",
            "d\tt\t100.000100\tS\tc2\tCSeq:1 INVITE\tINVITE sip:x SIP/2.0",
            "d\tt\t100.000500\tR\tc1\tCSeq:1 INVITE\tSIP/2.0 180 Ringing",
            "d\tt\t100.001000\tR\tc1\tCSeq:1 INVITE\tSIP/2.0 200 OK",
            "d\tt\t100.001100\tR\tc1\tCSeq:1 INVITE\tSIP/2.0 200 OK",  # retransmission
            "d\tt\t100.002000\tR\tc1\tCSeq:2 BYE\tSIP/2.0 200 OK",
            "d\tt\t100.003100\tR\tc2\tCSeq:1 INVITE\tSIP/2.0 200 OK",
        ])
        self.assertEqual([round(x, 3) for x in harness.invite_to_200_ms(log)], [1.0, 3.0])

    def test_parse_call_outcome_reads_the_last_final_line(self):
        self.assertEqual(harness.parse_call_outcome("trying\nfinal 180 x\nfinal 486 Busy Here\n"), (486, "Busy Here"))
        self.assertEqual(harness.parse_call_outcome("nothing"), (None, ""))

    def test_serve_config_has_listeners_timers_and_answer_delay(self):
        text = harness.serve_config_toml(harness.ServeOptions(port=5099, t1_ms=50, answer_delay_ms=2000))
        self.assertIn('listen = ["udp:127.0.0.1:5099", "tcp:127.0.0.1:5099"]', text)
        self.assertIn("t1_ms = 50", text)
        self.assertIn("[answer]\ndelay_ms = 2000", text)

    def test_voxgate_missing_names_the_missing_binary(self):
        import os
        old = os.environ.get("VOXGATE_BIN")
        os.environ["VOXGATE_BIN"] = "/nonexistent/voxgate"
        try:
            self.assertIn("not built", harness.voxgate_missing("serve"))
        finally:
            if old is None:
                del os.environ["VOXGATE_BIN"]
            else:
                os.environ["VOXGATE_BIN"] = old

    def test_sipp_stops_at_its_own_timeout(self):
        harness.require_tool("sipp")
        started = time.monotonic()
        # Nobody listens: the INVITE is never answered.
        result = run_sipp("uac", remote=(harness.LOCALHOST, harness.free_port()), max_seconds=2)
        self.addCleanup(harness.remove_work_dir, result.workdir)
        self.assertLess(time.monotonic() - started, 15)
        result.assert_failed(self)


if __name__ == "__main__":
    harness.main()
