#pragma once
// Counters of the SIP transport, for metrics. Each worker loop writes its own
// TransportCounters (single writer, relaxed atomics: no lock and no contended
// cache line on the receive path); TransportLayer::stats() sums a snapshot of
// every loop's counters from any thread.

#include <cstdint>

#include "sip/transport/counter.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/sip_message_counts.hpp"

namespace voxgate::sip {

// A plain snapshot: what metrics export.
struct TransportStats {
  struct PerTransport {
    std::uint64_t messages_in = 0;   // parsed, valid, handed up
    std::uint64_t messages_out = 0;  // sent (requests, responses, retransmissions)
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
  };
  PerTransport udp;
  PerTransport tcp;
  // The messages of messages_in and messages_out (both transports), by
  // request method and response status.
  SipMessageCounts messages_in_by_kind;
  SipMessageCounts messages_out_by_kind;

  std::uint64_t datagrams_in = 0;   // every UDP datagram read
  std::uint64_t keepalives_in = 0;  // CRLF pings/pongs (RFC 5626 §4.4.1)
  std::uint64_t parse_errors = 0;   // messages that failed parse or validate_message
  std::uint64_t dropped = 0;        // received and silently dropped (bad responses, not SIP, ACKs over the limit)
  std::uint64_t error_responses_sent = 0;  // stateless 400/505/513
  std::uint64_t rate_limited = 0;          // new requests over the per-source rate (answered 503 or dropped)
  std::uint64_t send_errors = 0;           // sends that failed (socket errors, full queues, connect failures)

  std::uint64_t connections_open = 0;  // gauge: accepted + connected - closed
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_connected = 0;  // outbound connections that we opened
  std::uint64_t connections_closed = 0;
  std::uint64_t connections_refused = 0;     // inbound connections over a limit
  std::uint64_t connections_timed_out = 0;   // idle or connect timeout (also counted in closed)
  std::uint64_t connections_overflowed = 0;  // input or output buffer limit hit (also counted in closed)

  TransportStats& operator+=(const TransportStats& other) noexcept;
};

struct TransportCounters {
  struct PerTransport {
    Counter messages_in, messages_out, bytes_in, bytes_out;
  };
  PerTransport udp;
  PerTransport tcp;
  SipMessageCounters messages_in_by_kind, messages_out_by_kind;
  Counter datagrams_in, keepalives_in, parse_errors, dropped, error_responses_sent, rate_limited, send_errors;
  Counter connections_accepted, connections_connected, connections_closed, connections_refused, connections_timed_out,
      connections_overflowed;

  PerTransport& of(TransportKind kind) noexcept { return kind == TransportKind::Udp ? udp : tcp; }
  [[nodiscard]] TransportStats snapshot() const noexcept;
};

}  // namespace voxgate::sip
