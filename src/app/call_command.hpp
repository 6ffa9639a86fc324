#pragma once
// `voxgate call sip:user@host:port`: a UAC for one call. It places the call,
// waits for the answer (CANCEL after --timeout-ms, reported as 408), holds it
// for --duration-ms, hangs up with BYE and prints the outcome:
//
//   progress 180 Ringing
//   answered setup_ms=12.4
//   final 200 OK
//
// Exit code 0 when the call was answered, 1 when it was not, 2 for a usage
// or start-up error.

#include <cstdint>
#include <iosfwd>
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
};

int run_call(const CallOptions& options, const Logger& log, std::ostream& out);

}  // namespace voxgate::app
