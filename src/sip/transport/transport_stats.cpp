#include "sip/transport/transport_stats.hpp"

namespace voxgate::sip {

namespace {

void add(TransportStats::PerTransport& into, const TransportStats::PerTransport& from) noexcept {
  into.messages_in += from.messages_in;
  into.messages_out += from.messages_out;
  into.bytes_in += from.bytes_in;
  into.bytes_out += from.bytes_out;
}

TransportStats::PerTransport read(const TransportCounters::PerTransport& c) noexcept {
  return {c.messages_in.get(), c.messages_out.get(), c.bytes_in.get(), c.bytes_out.get()};
}

}  // namespace

TransportStats& TransportStats::operator+=(const TransportStats& other) noexcept {
  add(udp, other.udp);
  add(tcp, other.tcp);
  messages_in_by_kind += other.messages_in_by_kind;
  messages_out_by_kind += other.messages_out_by_kind;
  datagrams_in += other.datagrams_in;
  keepalives_in += other.keepalives_in;
  parse_errors += other.parse_errors;
  dropped += other.dropped;
  error_responses_sent += other.error_responses_sent;
  rate_limited += other.rate_limited;
  send_errors += other.send_errors;
  connections_accepted += other.connections_accepted;
  connections_connected += other.connections_connected;
  connections_closed += other.connections_closed;
  connections_refused += other.connections_refused;
  connections_timed_out += other.connections_timed_out;
  connections_overflowed += other.connections_overflowed;
  const std::uint64_t opened = connections_accepted + connections_connected;
  connections_open = opened > connections_closed ? opened - connections_closed : 0;
  return *this;
}

TransportStats TransportCounters::snapshot() const noexcept {
  TransportStats s;
  s.udp = read(udp);
  s.tcp = read(tcp);
  s.messages_in_by_kind = messages_in_by_kind.snapshot();
  s.messages_out_by_kind = messages_out_by_kind.snapshot();
  s.datagrams_in = datagrams_in.get();
  s.keepalives_in = keepalives_in.get();
  s.parse_errors = parse_errors.get();
  s.dropped = dropped.get();
  s.error_responses_sent = error_responses_sent.get();
  s.rate_limited = rate_limited.get();
  s.send_errors = send_errors.get();
  s.connections_accepted = connections_accepted.get();
  s.connections_connected = connections_connected.get();
  s.connections_closed = connections_closed.get();
  s.connections_refused = connections_refused.get();
  s.connections_timed_out = connections_timed_out.get();
  s.connections_overflowed = connections_overflowed.get();
  const std::uint64_t opened = s.connections_accepted + s.connections_connected;
  s.connections_open = opened > s.connections_closed ? opened - s.connections_closed : 0;
  return s;
}

}  // namespace voxgate::sip
