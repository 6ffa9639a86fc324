#pragma once
// `voxgate media-load sip:echo@host:port`: the media load generator of the
// media benchmark (bench/media_load). A UAC that places --calls calls at
// --rate calls/s over UDP, runs every answered call's RTP with a tone (one
// packet per 20-ms tick of its loop's media clock, the same RtpStream a
// gateway call runs), holds all of them --hold-ms after the LAST one was
// answered, hangs them all up and prints one JSON object on `out`:
//
//   {"calls": 500, "answered": 500, "failed": 0, ...,
//    "window": {"seconds": 20.0, "packets_sent": ..., "packets_received": ...,
//               "lost": 0, "loss_ratio": 0.0, "concealed": 0, ...,
//               "clock": {"p50_ms": 1.0, "p99_ms": 1.0, "max_ms": 1.0, ...}},
//    "run": {...the same over the whole run...}}
//
// The window is the hold: the media counters of every live stream and the
// generator's media clock are snapshotted when the last call is answered and
// again at the end of the hold, and subtracted, so the ramp-up does not
// count. "lost" is what RTP sequence numbers say went missing on the way
// back (ours -> the peer -> ours: an echo returns one packet per tick either
// way); "peer_reported_lost" is what the peer's RTCP receiver reports say of
// our packets.
//
// --threads T: T worker loops, each a SIP stack of its own (its own UDP
// port: the dialog layer routes responses to the loop owning the Call-ID, so
// one stack per loop keeps every call on the loop that placed it), its own
// media clock and a slice of the RTP port range; calls go round robin. The
// generator's app is always a tone (media.tone_hz, 440 Hz by default); the
// rest of [media] (codecs, ptime, rtp_port_min/max, app_rate) applies.
//
// On stderr, for the benchmark runner: "media-load: hold-start ..." when
// the window opens and "media-load: hold-end ..." when it closes.
//
// Bounded: placing and answering must finish within calls/rate + 35 s, the
// hang-up within 10 s, and everything within --timeout-s (0: calls/rate +
// hold + 60 s); past a bound it reports what it has ("timed_out": true).
//
// Exit code 0 when every call was answered and held, 1 otherwise, 2 for a
// usage or start-up error.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "base/log.hpp"

namespace voxgate::app {

struct MediaLoadOptions {
  std::string target;  // Request-URI: sip:echo@127.0.0.1:5060
  std::uint32_t calls = 100;
  double rate = 100;               // calls placed per second
  std::uint32_t hold_ms = 10000;   // after the last call is answered
  std::string bind = "127.0.0.1";  // our SIP and RTP address
  std::string config_path;         // media (codecs, RTP ports), timers; "" = embedded defaults
  std::uint32_t threads = 1;       // worker loops
  std::uint32_t timeout_s = 0;     // the whole run; 0 = calls/rate + hold + 60 s
};

int run_media_load(const MediaLoadOptions& options, const Logger& log, std::ostream& out, std::ostream& progress);

}  // namespace voxgate::app
