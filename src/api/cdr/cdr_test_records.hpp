#pragma once
// CDRs for the CDR module's tests: every field set to a value that differs
// from its default and from the other records', so a field the store
// forgets or swaps shows.

#include <chrono>
#include <cstdint>
#include <string>

#include "api/cdr/cdr_record.hpp"
#include "base/clock.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api::test {

// A fixed wall time with a sub-microsecond part, so lost precision shows.
inline Clock::WallTime wall_time(std::int64_t seconds) {
  return Clock::WallTime(std::chrono::duration_cast<Clock::WallTime::duration>(
      std::chrono::seconds(1'700'000'000 + seconds) + std::chrono::nanoseconds(123'456'789)));
}

// The n-th test CDR: created at wall_time(n), answered 2 s later, ended
// after another n s; inbound when n is even.
inline CallDetailRecord sample_cdr(std::uint64_t n) {
  const auto s = static_cast<std::int64_t>(n);
  CallDetailRecord cdr;
  cdr.session_id = session::SessionId(n);
  cdr.call_id = "call-" + std::to_string(n) + "@host.example";
  cdr.direction = n % 2 == 0 ? session::Direction::Inbound : session::Direction::Outbound;
  cdr.local = session::Party{"sip:gateway@voxgate.example", "Gateway"};
  cdr.remote = session::Party{"sip:user" + std::to_string(n) + "@example.com", "User " + std::to_string(n)};
  cdr.created = wall_time(s);
  cdr.answered = wall_time(s + 2);
  cdr.ended = wall_time(s + 2 + s);
  cdr.duration = cdr.ended - *cdr.answered;
  cdr.ended_by = session::EndedBy::Remote;
  cdr.sip_status = 487;
  cdr.reason = "SIP;cause=487;text=\"Request Terminated\"";
  cdr.cause = "hangup-remote";
  cdr.codec = "PCMA/8000";
  cdr.remote_rtp = "192.0.2.10:" + std::to_string(40'000 + n);
  cdr.packets_sent = 5'000'000'000ULL + n;
  cdr.packets_received = 4'000 + n;
  cdr.packets_lost = -3;
  cdr.jitter_ms = 1.25 + static_cast<double>(n);
  cdr.metadata = {{"tenant", "acme"}, {"n", std::to_string(n)}};
  return cdr;
}

}  // namespace voxgate::api::test
