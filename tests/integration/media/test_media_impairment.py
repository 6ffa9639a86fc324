#!/usr/bin/env python3
"""The jitter buffer under impairment (issue 4): a test peer sends voxgate's
`record` app 5 s of a 440 Hz PCMU tone with 10 % of the packets dropped and
each delayed by 0-40 ms (so they also arrive out of order). Playout stays
continuous: in the recording, no stretch longer than one frame is silent
(lost frames are concealed), and the concealment is counted in the call's
media stats.
"""
import socket
import unittest

from media_common import linear_to_ulaw, read_wav, rtp_packet, serve_summaries, sine, goertzel
from sip_uac import MiniUac, send_impaired

import harness
from harness import ServeOptions, VoxgateServer, remove_work_dir, work_dir

FRAMES = 250  # 5 s


class Impairment(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def test_playout_stays_continuous_with_loss_jitter_and_reordering(self):
        workdir = work_dir("impair")
        self.addCleanup(remove_work_dir, workdir)
        recordings = workdir / "recordings"
        recordings.mkdir()
        media = {"app": "record", "record_dir": str(recordings), "codecs": ["PCMU"]}
        packets = [rtp_packet(0, 7000 + i, 160 * i, 0xFEED, bytes(linear_to_ulaw(s) for s in sine(440, 160, phase=160 * i)),
                              marker=i == 0) for i in range(FRAMES)]
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind(("127.0.0.1", 0))
        self.addCleanup(rtp.close)
        with VoxgateServer(ServeOptions(transports=("udp",), media=media)) as server:
            uac = MiniUac(server.address, rtp)
            self.addCleanup(uac.close)
            dialog = uac.invite()
            sent = send_impaired(rtp, dialog.remote_rtp, packets, loss=0.10, jitter_s=0.040)
            self.assertEqual(uac.bye(dialog), 200)
            self.assertEqual(server.stop(), 0, server.describe_exit())
            log = server.log_path.read_text()
        self.assertLess(sent, FRAMES * 0.95)  # the impairment really dropped packets
        summary = serve_summaries(log)
        self.assertEqual(len(summary), 1, log)
        self.assertGreater(summary[0].concealed, 0, summary[0].line)
        rate, _, samples = read_wav(next(recordings.glob("*.wav")))
        # 20-ms frames from the first to the last packet's playout: each
        # carries the tone, concealed or not, but for at most one frame in
        # a row (a concealment fading out after a burst of losses).
        frames = [samples[i:i + 160] for i in range(0, len(samples) - 159, 160)]
        tone = goertzel(sine(440, 160), 440, rate)
        voiced = [goertzel(f, 440, rate) > 0.05 * tone for f in frames]
        first = voiced.index(True)
        last = len(voiced) - 1 - voiced[::-1].index(True)
        run = longest = 0
        for v in voiced[first:last + 1]:
            run = 0 if v else run + 1
            longest = max(longest, run)
        self.assertLessEqual(longest, 1, f"{longest} silent frames in a row; {summary[0].line}")
        self.assertGreaterEqual(last - first + 1, FRAMES * 0.9)


if __name__ == "__main__":
    harness.main()
