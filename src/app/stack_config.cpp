#include "app/stack_config.hpp"

#include <boost/asio/ip/address.hpp>

#include "base/ascii.hpp"
#include "sdp/codec.hpp"

namespace voxgate::app {

Result<SipStackConfig> make_sip_stack_config(const GatewayConfig& config) {
  SipStackConfig stack;
  for (const ListenSpec& spec : config.sip.listen) {
    sip::ListenerConfig listener;
    listener.transport = spec.transport;
    boost::system::error_code ec;
    listener.address.ip = boost::asio::ip::make_address(spec.address, ec);
    if (ec) return make_error(Errc::InvalidArgument, "sip.listen: '{}' is not an IP address", spec.address);
    listener.address.port = spec.port;
    stack.transport.listeners.push_back(std::move(listener));
  }
  stack.transport.rate_limit.requests_per_second = config.limits.per_source_rate;
  stack.transport.rate_limit.burst = config.limits.per_source_burst;
  stack.transport.rate_limit.retry_after_seconds = static_cast<std::uint32_t>(config.limits.retry_after.count());
  stack.transport.tcp.max_connections = config.limits.max_tcp_connections;
  stack.transport.tcp.max_connections_per_source = config.limits.max_tcp_connections_per_ip;
  if (auto valid = sip::validate(stack.transport); !valid) return tl::unexpected(valid.error());

  stack.timers.t1 = config.sip.t1;
  stack.timers.t2 = config.sip.t2;
  stack.timers.t4 = config.sip.t4;
  if (auto valid = sip::validate(stack.timers); !valid) return tl::unexpected(valid.error());
  stack.retry_after_seconds = static_cast<std::uint32_t>(config.limits.retry_after.count());
  stack.session_timer = sip::SessionTimerSettings{config.session_timer.interval, config.session_timer.min_se,
                                                  config.session_timer.prefer_to_refresh};
  return stack;
}

Result<sdp::LocalMediaConfig> make_local_media(const MediaConfig& media) {
  sdp::LocalMediaConfig local;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(media.address, ec);
  if (ec) return make_error(Errc::InvalidArgument, "media.address: '{}' is not an IP address", media.address);
  local.address_type = address.is_v6() ? sdp::AddressType::IP6 : sdp::AddressType::IP4;
  local.address = address.to_string();
  local.ptime_ms = media.ptime_ms;
  local.rtcp_mux = media.rtcp_mux;
  local.rtp_port = media.rtp_port_min;  // replaced per call by the reserved port
  // Names as in SDP; "telephone-event" brings it at every clock rate the
  // chosen audio codecs use (RFC 4733 §2.1), so Opus calls get DTMF too.
  const auto supported = sdp::supported_audio_codecs();
  local.codecs.clear();
  bool telephone_events = false;
  for (const std::string& name : media.codecs) {
    if (ascii::iequals(name, "telephone-event")) {
      telephone_events = true;
      continue;
    }
    auto it = std::find_if(supported.begin(), supported.end(), [&](const sdp::Codec& c) {
      return c.carries_audio() && ascii::iequals(c.encoding_name, name);
    });
    if (it == supported.end()) {
      return make_error(Errc::InvalidArgument, "media.codecs: '{}' is not supported (supported: {})", name,
                        sdp::describe(supported));
    }
    local.codecs.push_back(*it);
  }
  if (telephone_events) {
    for (const sdp::Codec& event : supported) {
      if (!event.is_telephone_event()) continue;
      const bool needed = std::any_of(local.codecs.begin(), local.codecs.end(), [&](const sdp::Codec& c) {
        return !c.is_telephone_event() && c.clock_rate == event.clock_rate;
      });
      if (needed) local.codecs.push_back(event);
    }
  }
  if (auto valid = sdp::validate(local); !valid) {
    return make_error(Errc::InvalidArgument, "media: {}", valid.error().message);
  }
  return local;
}

session::StreamSettings make_stream_settings(const MediaConfig& media) {
  return session::StreamSettings{media.media_timeout, media.inband_dtmf};
}

Result<session::SessionSettings> make_session_settings(const GatewayConfig& config) {
  auto local = make_local_media(config.media);
  if (!local) return tl::unexpected(local.error());
  session::SessionSettings settings;
  settings.media = std::move(*local);
  settings.stream = make_stream_settings(config.media);
  settings.app_sample_rate = static_cast<int>(config.media.app_rate);
  return settings;
}

session::SessionLimitSettings make_session_limits(const LimitsConfig& limits) {
  return session::SessionLimitSettings{limits.max_calls, limits.max_calls_per_party, limits.max_calls_per_source};
}

}  // namespace voxgate::app
