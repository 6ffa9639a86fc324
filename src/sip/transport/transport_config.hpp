#pragma once
// What the SIP transport listens on and the limits it enforces (RFC 3261 §18).
// Every default is written here with the reason for it; main() fills the
// struct from the command line / configuration file.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "sip/message/parser.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

struct ListenerConfig {
  TransportKind transport = TransportKind::Udp;
  // A specific address (127.0.0.1, ::1, 192.0.2.10). Port 0 asks the system
  // for an ephemeral port; TransportLayer::listeners() tells which one.
  Address address;
  // The host we put in the Via sent-by (§18.1.1) when it is not `address`:
  // required for a wildcard bind (0.0.0.0, ::), optional otherwise.
  std::optional<std::string> advertised_host;
};

struct TcpConfig {
  // A connection is closed after this long without a complete message or a
  // keep-alive in either direction. Partial bytes do not count as traffic, so
  // a peer dribbling a header line cannot keep a connection forever. 120 s is
  // what common SIP servers use, and longer than RFC 5626's 95-120 s CRLF
  // keep-alive interval for TCP flows, so well-behaved clients keep theirs.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(120)};
  // An outbound connect that has not completed in this time fails (the kernel
  // would otherwise retry SYNs for about two minutes); 64*T1 (§17.1.1.2
  // Timer B) is when the transaction would give up anyway.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(32)};
  // Open connections, inbound and outbound together; and inbound connections
  // from one source IP (a NAT'd site or a trunk uses a handful).
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_source = 64;
  // Bytes received but not yet framed into a message: one message at most,
  // so a little over the stream message limit.
  std::size_t max_input_bytes = std::size_t{72} * 1024;
  // Bytes queued to send and not yet accepted by the kernel; a peer that does
  // not read is cut off rather than growing our memory.
  std::size_t max_output_bytes = std::size_t{1024} * 1024;
  // One read asks the kernel for at most this many bytes.
  std::size_t read_chunk_bytes = std::size_t{16} * 1024;
};

// Per-source token bucket on new requests (no To tag): a flood from one
// address is answered 503 statelessly and cannot starve the others. Each
// worker loop keeps its own table (no lock on the receive path), so a source
// whose traffic spreads over k loops gets up to k times the rate. The
// defaults let a busy trunk through (100 new requests/s from one address).
struct RateLimitConfig {
  bool enabled = true;
  double requests_per_second = 100.0;
  double burst = 200.0;
  // Sources remembered per loop; beyond this the least recently seen is
  // forgotten (it comes back with a full bucket).
  std::size_t max_sources = 65536;
  std::uint32_t retry_after_seconds = 5;
};

struct TransportConfig {
  std::vector<ListenerConfig> listeners;

  // Per UDP socket (one per listener per loop). 4 MiB absorbs bursts while
  // a loop is busy; Linux caps it at net.core.rmem_max/wmem_max.
  int udp_receive_buffer_bytes = 4 * 1024 * 1024;
  int udp_send_buffer_bytes = 4 * 1024 * 1024;
  // §18.1.1: a request within 200 bytes of the path MTU goes over TCP when
  // we listen on TCP.
  std::size_t path_mtu = 1500;

  ParseLimits datagram_limits{};
  ParseLimits stream_limits{};

  TcpConfig tcp;
  RateLimitConfig rate_limit;

  // How often each loop checks its connections' idle and connect timeouts
  // against the Clock. Tests shorten it and drive a ManualClock.
  std::chrono::milliseconds maintenance_interval{std::chrono::seconds(1)};
  // The loop that runs the TCP acceptors.
  std::size_t acceptor_loop = 0;
};

// What `voxgate serve` listens on when told nothing: UDP and TCP on
// 127.0.0.1:5060.
TransportConfig default_transport_config();

// Rejects a configuration that cannot work, saying which field is wrong.
Result<void> validate(const TransportConfig& config);

// The largest UDP request that stays on UDP (§18.1.1): path MTU - 200.
constexpr std::size_t max_udp_request_bytes(const TransportConfig& config) noexcept {
  return config.path_mtu > 200 ? config.path_mtu - 200 : 0;
}

}  // namespace voxgate::sip
