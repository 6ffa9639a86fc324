#include "sip/transport/transport_config.hpp"

namespace voxgate::sip {

TransportConfig default_transport_config() {
  TransportConfig config;
  const Address local{boost::asio::ip::make_address("127.0.0.1"), 5060};
  config.listeners.push_back(ListenerConfig{TransportKind::Udp, local, std::nullopt});
  config.listeners.push_back(ListenerConfig{TransportKind::Tcp, local, std::nullopt});
  return config;
}

Result<void> validate(const TransportConfig& config) {
  if (config.listeners.empty()) return make_error(Errc::InvalidArgument, "transport: no listener configured");
  for (std::size_t i = 0; i < config.listeners.size(); ++i) {
    const ListenerConfig& l = config.listeners[i];
    if (l.address.ip.is_unspecified() && (!l.advertised_host || l.advertised_host->empty())) {
      return make_error(Errc::InvalidArgument,
                        "transport: listener {} ({} {}) binds a wildcard address and needs an advertised host "
                        "for the Via sent-by",
                        i, to_string(l.transport), l.address);
    }
    for (std::size_t j = 0; j < i; ++j) {
      const ListenerConfig& other = config.listeners[j];
      if (other.transport == l.transport && other.address == l.address && l.address.port != 0) {
        return make_error(Errc::InvalidArgument, "transport: listener {} {} is configured twice",
                          to_string(l.transport), l.address);
      }
    }
  }
  if (config.udp_receive_buffer_bytes <= 0 || config.udp_send_buffer_bytes <= 0) {
    return make_error(Errc::InvalidArgument, "transport: UDP socket buffer sizes must be positive");
  }
  if (config.path_mtu < 576) {
    return make_error(Errc::InvalidArgument, "transport: path MTU {} is below the IPv4 minimum of 576",
                      config.path_mtu);
  }
  const TcpConfig& tcp = config.tcp;
  if (tcp.idle_timeout.count() <= 0 || tcp.connect_timeout.count() <= 0) {
    return make_error(Errc::InvalidArgument, "transport: TCP timeouts must be positive");
  }
  if (tcp.max_connections == 0 || tcp.max_connections_per_source == 0) {
    return make_error(Errc::InvalidArgument, "transport: TCP connection limits must be positive");
  }
  if (tcp.max_input_bytes < config.stream_limits.max_message_bytes) {
    return make_error(Errc::InvalidArgument,
                      "transport: tcp.max_input_bytes ({}) must hold one message of stream_limits ({})",
                      tcp.max_input_bytes, config.stream_limits.max_message_bytes);
  }
  if (tcp.max_output_bytes == 0 || tcp.read_chunk_bytes == 0) {
    return make_error(Errc::InvalidArgument, "transport: TCP buffer sizes must be positive");
  }
  const RateLimitConfig& rate = config.rate_limit;
  if (rate.enabled && (!(rate.requests_per_second > 0.0) || !(rate.burst >= 1.0) || rate.max_sources == 0)) {
    return make_error(Errc::InvalidArgument,
                      "transport: rate limit needs requests_per_second > 0, burst >= 1 and max_sources > 0");
  }
  if (config.maintenance_interval.count() <= 0) {
    return make_error(Errc::InvalidArgument, "transport: maintenance interval must be positive");
  }
  return {};
}

}  // namespace voxgate::sip
