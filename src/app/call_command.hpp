#pragma once
// `voxgate call sip:user@host:port`: a UAC for one call. It places the call,
// waits for the answer (CANCEL after --timeout-ms, reported as 408), holds it
// for --duration-ms, hangs up with BYE and prints the outcome:
//
//   progress 180 Ringing
//   answered setup_ms=12.4
//   held by us                  (--hold-after-ms; "by peer" when it holds)
//   resumed by us               (--resume-after-ms)
//   dtmf 5 rfc4733
//   media sent=50 received=50 lost=0 ... dtmf_sent=0
//   ended local hangup-local
//   final 200 OK
//
// While the call is up, its media runs as the configuration's [media]
// says (app, codecs), optionally recorded (--record) and sending RFC 4733
// digits (--dtmf).
//
// Exit code 0 when the call was answered, 1 when it was not, 2 for a usage
// or start-up error.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "base/log.hpp"

namespace voxgate::app {

struct CallOptions {
  std::string target;             // Request-URI: sip:user@192.0.2.4:5060
  std::string transport = "udp";  // udp or tcp
  std::uint32_t timeout_ms = 32000;
  std::uint32_t duration_ms = 1000;
  std::string bind = "127.0.0.1";  // our SIP and RTP address
  std::string from;                // our From URI; "" = sip:voxgate@<bind>
  std::string config_path;         // media, timers, ...; "" = embedded defaults
  std::string record_path;         // "" or a WAV of what the peer sends
  std::string dtmf;                // digits to send as RFC 4733 events once answered
  // Put the call on hold / take it off (re-INVITE, RFC 3264 §8.4) this long
  // after the answer.
  std::optional<std::uint32_t> hold_after_ms;
  std::optional<std::uint32_t> resume_after_ms;
};

int run_call(const CallOptions& options, const Logger& log, std::ostream& out);

}  // namespace voxgate::app
