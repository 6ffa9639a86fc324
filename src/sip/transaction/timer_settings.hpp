#pragma once
// The timers of RFC 3261 §17 (Table 4 of Appendix A) and RFC 6026 §8.11:
// their names, and the three base intervals everything derives from.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace voxgate::sip {

struct TimerSettings {
  Clock::Duration t1 = std::chrono::milliseconds(500);  // RTT estimate
  Clock::Duration t2 =
      std::chrono::seconds(4);  // maximum retransmit interval for non-INVITE requests and INVITE responses
  Clock::Duration t4 = std::chrono::seconds(5);  // maximum duration a message remains in the network
  // Timer D: "at least 32 seconds for unreliable transports" (§17.1.1.2).
  Clock::Duration timer_d = std::chrono::seconds(32);

  // 64*T1: Timers B, F, H, J (unreliable), L and M.
  [[nodiscard]] Clock::Duration transaction_timeout() const noexcept { return t1 * 64; }
};

// Rejects settings the machines cannot run with (T1 <= 0, T2 < T1, T4 < 0,
// Timer D < 0).
Result<void> validate(const TimerSettings& settings);

enum class TimerName : std::uint8_t {
  A,  // client INVITE: request retransmit, unreliable only; starts at T1, doubles
  B,  // client INVITE: transaction timeout, 64*T1
  D,  // client INVITE: wait for response retransmits; >= 32 s unreliable, 0 reliable
  E,  // client non-INVITE: request retransmit, unreliable only; T1 doubling to T2
  F,  // client non-INVITE: transaction timeout, 64*T1
  G,  // server INVITE: response retransmit, unreliable only; T1 doubling to T2
  H,  // server INVITE: wait for ACK receipt, 64*T1
  I,  // server INVITE: wait for ACK retransmits; T4 unreliable, 0 reliable
  J,  // server non-INVITE: wait for request retransmits; 64*T1 unreliable, 0 reliable
  K,  // client non-INVITE: wait for response retransmits; T4 unreliable, 0 reliable
  L,  // server INVITE (RFC 6026): wait for accepted INVITE request retransmits, 64*T1
  M,  // client INVITE (RFC 6026): wait for retransmits of 2xx, 64*T1
  // Not lettered by the RFC: §9.1's "no final response within 64*T1 of a
  // CANCEL", after which the client INVITE transaction is given up.
  CancelGuard,
};

std::string_view to_string(TimerName name) noexcept;

}  // namespace voxgate::sip
