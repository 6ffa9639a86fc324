#include "sdp/local_media.hpp"

#include <algorithm>
#include <array>

#include "sdp/detail/address.hpp"
#include "sdp/detail/text.hpp"

namespace voxgate::sdp {

Result<void> validate(const LocalMediaConfig& config) {
  const bool literal = config.address_type == AddressType::IP4 ? detail::is_ipv4_literal(config.address)
                                                               : detail::is_ipv6_literal(config.address);
  if (!literal && !detail::is_hostname(config.address)) {
    return make_error(Errc::InvalidArgument, "local media: invalid {} address {}", to_string(config.address_type),
                      detail::quote(config.address));
  }
  if (config.rtp_port == 0) return make_error(Errc::InvalidArgument, "local media: RTP port 0");
  if (config.ptime_ms == 0) return make_error(Errc::InvalidArgument, "local media: ptime 0");
  if (!std::any_of(config.codecs.begin(), config.codecs.end(), [](const Codec& c) { return c.carries_audio(); })) {
    return make_error(Errc::InvalidArgument, "local media: no codec that carries audio");
  }
  std::array<bool, 128> used{};
  for (const Codec& c : config.codecs) {
    if (!detail::is_token(c.encoding_name) || c.clock_rate == 0 || c.channels == 0) {
      return make_error(Errc::InvalidArgument, "local media: invalid codec {}", detail::quote(c.describe()));
    }
    if (c.payload_type > 127 || used.at(c.payload_type)) {
      return make_error(Errc::InvalidArgument, "local media: payload type {} invalid or used twice", c.payload_type);
    }
    used.at(c.payload_type) = true;
    if (!detail::is_text(c.fmtp)) return make_error(Errc::InvalidArgument, "local media: invalid fmtp");
  }
  if (config.username.empty() || detail::split_fields(config.username).size() != 1 ||
      !detail::is_text(config.username)) {
    return make_error(Errc::InvalidArgument, "local media: invalid o= username {}", detail::quote(config.username));
  }
  if (!detail::is_text(config.session_name)) {
    return make_error(Errc::InvalidArgument, "local media: invalid session name {}",
                      detail::quote(config.session_name));
  }
  return {};
}

}  // namespace voxgate::sdp
