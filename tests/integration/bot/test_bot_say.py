#!/usr/bin/env python3
"""Say with a handle (issue 7): the REST API makes the embedded bot speak
over a real SIP/RTP call on loopback, and stops it.

SIPp calls `voxgate serve` (the bot with a short menu) and stays silent;
the test waits until the greeting was played, then:

- POST /v1/sessions/{id}/say {"text", "handle"}: 202 {handle}; the text is
  heard on the wire after the request, and bot.said {handle, played} comes
  once its audio has left;
- a long say, then DELETE /v1/sessions/{id}/say/{handle}: bot.said
  {cancelled}, and the bot's audio stops on the wire within 150 ms of the
  request;
- cancelling a say that is over is 404.
"""
import threading
import time
import unittest

from bot_common import EventFeed, capturing, scenario_copy, write_caller_pcap, caller_audio
from test_bot import QUICK_MENU, bot_audio_runs

import harness
from api_client import Api
from harness import ServeOptions, SippProcess, VoxgateServer

LONG_TEXT = ("This is a long announcement. It goes on for several sentences, so that there is time to stop it. "
             "Nobody should hear this part. Nor this one.")


class SayWithHandle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def setUp(self):
        self.workdir = harness.work_dir("bot-say")

    def tearDown(self):
        harness.remove_work_dir(self.workdir)

    def test_the_api_makes_the_bot_speak_reports_the_end_and_cancels_on_the_wire(self):
        opts = ServeOptions(transports=("udp",), media={"app": "bot"}, extra_toml=QUICK_MENU,
                            bot={"reprompt_after_ms": 0, "hangup_after_ms": 0})
        with VoxgateServer(opts) as server:
            api = Api(server.api_url)
            feed = EventFeed(server)
            silence = caller_audio([14000])
            pcap = server.workdir / "caller.pcap"
            write_caller_pcap(pcap, silence)
            path = scenario_copy("uac_pcmu.xml", server.workdir, pcap=str(pcap), hold_ms="15000")
            sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=60, extra=("-mi", "127.0.0.1"))
            outcome = {}

            def run() -> None:
                with capturing(sipp, either_direction=True) as capture:
                    outcome["result"] = sipp.result(timeout=60)
                outcome["capture"] = capture

            caller = threading.Thread(target=run)
            caller.start()
            try:
                listening = feed.wait_for(lambda e: e.get("type") == "bot.state" and str(e.get("state")).lower() == "listening")
                self.assertIsNotNone(listening, feed.events)
                status, page, _ = api.get("/v1/sessions?state=connected")
                self.assertEqual(status, 200, page)
                self.assertEqual(len(page["sessions"]), 1, page)
                sid = page["sessions"][0]["id"]

                time.sleep(0.5)  # a gap on the wire after the greeting
                asked = time.time()
                status, body, _ = api.request("POST", f"/v1/sessions/{sid}/say",
                                              {"text": "Your order has shipped.", "handle": "order"})
                self.assertEqual((status, body), (202, {"handle": "order"}))
                played = feed.wait_for(lambda e: e.get("type") == "bot.said" and e.get("handle") == "order")
                self.assertIsNotNone(played, feed.events)
                self.assertEqual(played["outcome"], "played", played)
                status, body, _ = api.request("DELETE", f"/v1/sessions/{sid}/say/order")
                self.assertEqual(status, 404, body)

                time.sleep(0.5)  # a gap on the wire after the first say
                status, body, _ = api.request("POST", f"/v1/sessions/{sid}/say", {"text": LONG_TEXT})
                self.assertEqual(status, 202, body)
                handle = body["handle"]
                self.assertTrue(handle.startswith("say-"), body)
                time.sleep(1.5)
                cancelled_at = time.time()
                status, body, _ = api.request("DELETE", f"/v1/sessions/{sid}/say/{handle}")
                self.assertEqual(status, 202, body)
                cancelled = feed.wait_for(lambda e: e.get("type") == "bot.said" and e.get("handle") == handle)
                self.assertIsNotNone(cancelled, feed.events)
                self.assertEqual(cancelled["outcome"], "cancelled", cancelled)
            finally:
                caller.join(timeout=70)
                feed.close()
        outcome["result"].assert_all_succeeded(self)
        runs = bot_audio_runs(outcome["capture"], sipp.media_port, gap_s=0.15)
        said = [run for run in runs if run[0] > asked]
        self.assertGreaterEqual(len(said), 2, f"the two says on the wire after {asked}: {runs}")
        self.assertGreater(said[0][1] - said[0][0], 0.8, "the first say was spoken whole")
        self.assertLess(said[0][1], cancelled_at, "and ended before the second began")
        long_run = said[1]
        print(f"\nsay cancel: bot audio stopped {(long_run[1] - cancelled_at) * 1000:.0f} ms after the DELETE")
        self.assertGreater(long_run[1], cancelled_at - 0.05, "the long say was still playing when cancelled")
        self.assertLess(long_run[1] - cancelled_at, 0.150, "the cancel stopped it on the wire")
        self.assertFalse([run for run in runs if run[0] > cancelled_at + 0.2], f"nothing after the cancel: {runs}")
        heard = feed.of("bot.cancelled")
        self.assertEqual(len(heard), 1, feed.events)
        text_heard = heard[0]["text_heard"]
        self.assertTrue(text_heard and LONG_TEXT.startswith(text_heard), heard[0])
        self.assertAlmostEqual(heard[0]["heard_ms"] / 1000, long_run[1] - long_run[0], delta=0.040)


if __name__ == "__main__":
    unittest.main(verbosity=2)
