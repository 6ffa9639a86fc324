#!/usr/bin/env python3
"""voxgate serve as a UAS, driven by SIPp scenarios (scenarios/*.xml) over
UDP and TCP. Each scenario lists the exact messages expected; anything else
fails the call and so the test.

Skips until voxgate is built with `serve --config` (harness.SERVE_OPTIONS).
Assumes of voxgate serve what harness.serve_config_toml() writes: listeners,
`[sip] t1_ms`, `[answer] delay_ms`.
"""
import os
import re
import unittest

import harness
from harness import ServeOptions, VoxgateServer, run_sipp, scenario

TRANSPORTS = ("udp", "tcp")


class ServeCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def serve(self, **options) -> VoxgateServer:
        """A voxgate serve for this test; it must still be running at the
        end and stop cleanly on SIGTERM."""
        server = VoxgateServer(ServeOptions(**options))
        self.addCleanup(harness.remove_work_dir, server.workdir)
        server.start()

        def stop():
            alive = server.proc is not None and server.proc.poll() is None
            code = server.stop()
            log = server.log()
            self.assertTrue(alive, f"voxgate serve died during the test:\n{log}")
            self.assertEqual(code, 0, f"voxgate serve did not stop cleanly:\n{log}")

        self.addCleanup(stop)
        return server

    def run_scenario(self, server: VoxgateServer, name: str, transport: str, *, calls: int = 1,
                     max_seconds: float = 30) -> harness.SippResult:
        path = name if name in ("uac", "uas") else scenario(name)
        result = run_sipp(path, remote=server.address, transport=transport, calls=calls, max_seconds=max_seconds)
        self.addCleanup(harness.remove_work_dir, result.workdir)
        return result

    def assert_scenario_passes(self, name: str, calls: int = 1, **options) -> None:
        server = self.serve(**options)
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                result = self.run_scenario(server, name, transport, calls=calls)
                result.assert_all_succeeded(self, calls)


class OutOfDialogRequests(ServeCase):
    def test_options_is_answered_200_with_allow_listing_invite_ack_bye_cancel_options(self):
        self.assert_scenario_passes("options.xml")

    def test_bye_for_an_unknown_dialog_is_answered_481(self):
        self.assert_scenario_passes("bye_unknown_dialog.xml")


class RejectedInvites(ServeCase):
    def test_invite_offering_only_an_unsupported_codec_is_rejected_488_with_warning(self):
        self.assert_scenario_passes("unsupported_codec.xml")

    def test_invite_requiring_an_unknown_extension_is_rejected_420_listing_it_in_unsupported(self):
        self.assert_scenario_passes("require_unknown.xml")

    def test_invite_with_max_forwards_zero_is_rejected_483(self):
        self.assert_scenario_passes("max_forwards_zero.xml")


class AnsweredInvites(ServeCase):
    def test_basic_calls_from_sipp_builtin_uac_are_answered_and_hung_up(self):
        self.assert_scenario_passes("uac", calls=5)

    def test_invite_without_sdp_gets_an_offer_in_the_200_and_the_answer_in_the_ack_is_taken(self):
        self.assert_scenario_passes("delayed_offer.xml")


    def test_cancel_before_the_answer_gets_200_and_the_invite_487(self):
        # voxgate must not answer before the CANCEL arrives: it rings 2 s.
        self.assert_scenario_passes("cancel_before_answer.xml", answer_delay_ms=2000)


class UnacknowledgedAnswer(ServeCase):
    T1_MS = 50  # 64*T1 = 3.2 s instead of 32 s

    def test_200_without_ack_is_retransmitted_doubling_from_t1_then_the_call_is_ended_with_bye(self):
        server = self.serve(t1_ms=self.T1_MS)
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                result = self.run_scenario(server, "no_ack_after_200.xml", transport)
                result.assert_all_succeeded(self)
                timing = harness.retransmission_timing(result.messages())
                harness.check_2xx_retransmission(self, timing, t1_ms=self.T1_MS)


# RFC 4028 with test-only short intervals (Min-SE 2 s, interval 4 s), so a
# refresh or an expiry takes seconds; one test keeps the RFC minimum of 90 s.
SHORT_TIMERS = {"interval": 4, "min_se": 2, "allow_min_se_below_rfc_minimum": True}


class SessionTimers(ServeCase):
    def test_an_interval_below_min_se_gets_422_and_the_retry_with_min_se_succeeds(self):
        self.assert_scenario_passes("session_timer_422_retry.xml", session_timer=SHORT_TIMERS)

    def test_as_refresher_voxgate_sends_update_at_half_the_interval(self):
        self.assert_scenario_passes("session_timer_voxgate_refreshes.xml", session_timer=SHORT_TIMERS)

    def test_as_non_refresher_voxgate_ends_an_unrefreshed_call_with_bye_reason_408_at_se_minus_a_third(self):
        self.assert_scenario_passes("session_timer_expiry_bye.xml", session_timer=SHORT_TIMERS)

    def test_an_update_refresh_from_the_peer_restarts_the_expiry(self):
        self.assert_scenario_passes("session_timer_peer_refreshes.xml", session_timer=SHORT_TIMERS)

    @unittest.skipIf(os.environ.get("VOXGATE_SKIP_SLOW_TESTS"), "waits 60 s: make test runs it, make asan skips it")
    def test_at_the_rfc_minimum_of_90_s_the_unrefreshed_call_ends_60_s_after_the_answer(self):
        # SIPp sends no RTP: no media timeout (30 s by default) may end it first.
        server = self.serve(media={"media_timeout_ms": 0})
        result = self.run_scenario(server, "session_timer_rfc_minimum.xml", "udp", max_seconds=90)
        result.assert_all_succeeded(self, 1)


class CrossingReInvites(ServeCase):
    """Glare (RFC 3261 §14.1/§14.2): voxgate's session refresh re-INVITE
    crosses the caller's re-INVITE. Each side answers the other 491; voxgate,
    which did not send the initial INVITE, retries after a random 0-2 s in
    10-ms units, with the next CSeq and its unchanged offer (RFC 3264 §8:
    same o= version), and the call goes on to a clean BYE."""

    # SIPp's log stamps and the two processes' scheduling on a loaded
    # 2-core machine: the retry may be seen this much after 2 s.
    SLACK_S = 0.3

    def test_crossing_reinvites_get_491_and_voxgate_retries_within_the_uas_back_off(self):
        server = self.serve(session_timer=SHORT_TIMERS)
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                result = self.run_scenario(server, "session_timer_crossing_reinvites.xml", transport)
                result.assert_all_succeeded(self)
                entries = result.messages()
                refresh, retry = self.voxgate_reinvites(entries)
                our_491 = [e for e in entries if e.direction == "sent" and e.status == 491]
                self.assertEqual(len(our_491), 1, self.describe(entries))
                delay = retry.time - our_491[0].time
                self.assertGreaterEqual(delay, 0.0, self.describe(entries))
                self.assertLessEqual(delay, 2.0 + self.SLACK_S, f"retry {delay:.3f} s after our 491\n"
                                     + self.describe(entries))
                self.assertEqual(self.origin(refresh), self.origin(retry),
                                 "the unchanged offer keeps its o= line (RFC 3264 §8)")
                self.assertEqual(self.cseq(retry), self.cseq(refresh) + 1)

    @staticmethod
    def voxgate_reinvites(entries: list) -> tuple:
        """voxgate's first re-INVITE and its retry (by CSeq: a UDP
        retransmission repeats the first's)."""
        received = [e for e in entries if e.direction == "received" and e.method == "INVITE"]
        assert received, "no re-INVITE from voxgate in SIPp's log"
        first = received[0]
        later = [e for e in received if CrossingReInvites.cseq(e) > CrossingReInvites.cseq(first)]
        assert later, "no retried re-INVITE from voxgate in SIPp's log"
        return first, later[0]

    @staticmethod
    def cseq(entry) -> int:
        m = re.search(r"^CSeq:\s*(\d+)", entry.text, re.MULTILINE | re.IGNORECASE)
        return int(m.group(1)) if m else -1

    @staticmethod
    def origin(entry) -> str:
        m = re.search(r"^o=.*$", entry.text, re.MULTILINE)
        return m.group(0).strip() if m else ""

    @staticmethod
    def describe(entries: list) -> str:
        return "\n".join(f"{e.time:.3f} {e.direction} {e.first_line} ({e.cseq_method})" for e in entries)


class InDialogUpdates(ServeCase):
    def test_update_holds_with_recvonly_resumes_with_sendrecv_and_a_bodiless_update_gets_200(self):
        self.assert_scenario_passes("update_hold_resume.xml")

    def test_reinvite_holds_with_recvonly_or_inactive_and_resumes_with_sendrecv(self):
        self.assert_scenario_passes("reinvite_hold_resume.xml")


if __name__ == "__main__":
    harness.main()
