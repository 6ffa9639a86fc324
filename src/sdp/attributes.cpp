#include "sdp/attributes.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

#include "base/ascii.hpp"
#include "sdp/detail/address.hpp"
#include "sdp/detail/text.hpp"
#include "sdp/serializer.hpp"

namespace voxgate::sdp {

namespace {

std::optional<std::uint32_t> find_time(const Attributes& attributes, std::string_view name) {
  for (const Attribute& a : attributes) {
    if (!a.value || !ascii::iequals(a.name, name)) continue;
    if (auto t = parse_packet_time(*a.value)) return *t;
  }
  return std::nullopt;
}

}  // namespace

Result<Fmtp> parse_fmtp(std::string_view value) {
  value = detail::trim(value);
  const std::size_t space = value.find_first_of(" \t");
  Fmtp fmtp;
  fmtp.format = std::string(value.substr(0, space));
  if (!detail::is_token(fmtp.format)) {
    return make_error(Errc::InvalidArgument, "fmtp: invalid format {}", detail::quote(value));
  }
  if (space != std::string_view::npos) fmtp.parameters = std::string(detail::trim(value.substr(space + 1)));
  return fmtp;
}

std::optional<std::string> find_fmtp(const MediaDescription& media, std::string_view format) {
  for (const Attribute& a : media.attributes) {
    if (!a.value || !ascii::iequals(a.name, "fmtp")) continue;
    auto fmtp = parse_fmtp(*a.value);
    if (fmtp && fmtp->format == format) return std::move(fmtp->parameters);
  }
  return std::nullopt;
}

Result<std::uint32_t> parse_packet_time(std::string_view value) {
  value = detail::trim(value);
  const std::size_t dot = value.find('.');
  if (dot != std::string_view::npos) {
    const std::string_view fraction = value.substr(dot + 1);
    if (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), ascii::is_digit)) {
      return make_error(Errc::InvalidArgument, "invalid packet time {}", detail::quote(value));
    }
  }
  const auto ms = detail::parse_decimal(value.substr(0, dot), std::numeric_limits<std::uint32_t>::max());
  if (!ms || *ms == 0) return make_error(Errc::InvalidArgument, "invalid packet time {}", detail::quote(value));
  return static_cast<std::uint32_t>(*ms);
}

std::optional<std::uint32_t> find_ptime(const SessionDescription& session, const MediaDescription& media) {
  if (auto t = find_time(media.attributes, "ptime")) return t;
  return find_time(session.attributes, "ptime");
}

std::optional<std::uint32_t> find_maxptime(const SessionDescription& session, const MediaDescription& media) {
  if (auto t = find_time(media.attributes, "maxptime")) return t;
  return find_time(session.attributes, "maxptime");
}

std::optional<Direction> find_direction(const Attributes& attributes) noexcept {
  std::optional<Direction> found;
  for (const Attribute& a : attributes) {
    if (auto d = direction_from_name(a.name)) found = d;
  }
  return found;
}

Direction effective_direction(const SessionDescription& session, const MediaDescription& media) noexcept {
  if (auto d = find_direction(media.attributes)) return *d;
  return find_direction(session.attributes).value_or(Direction::SendRecv);
}

Result<Rtcp> parse_rtcp(std::string_view value) {
  const auto fields = detail::split_fields(value);
  if (fields.size() != 1 && fields.size() != 4) {
    return make_error(Errc::InvalidArgument, "rtcp: expected \"<port> [IN <addrtype> <address>]\", got {}",
                      detail::quote(value));
  }
  Rtcp rtcp;
  const auto port = detail::parse_decimal(fields[0], 65535);
  if (!port) return make_error(Errc::InvalidArgument, "rtcp: invalid port {}", detail::quote(fields[0]));
  rtcp.port = static_cast<std::uint16_t>(*port);
  if (fields.size() == 1) return rtcp;
  if (!ascii::iequals(fields[1], "IN")) {
    return make_error(Errc::Unsupported, "rtcp: unsupported network type {}", detail::quote(fields[1]));
  }
  Connection c;
  if (ascii::iequals(fields[2], "IP4")) {
    c.address_type = AddressType::IP4;
    if (!detail::is_ipv4_literal(fields[3]) && !detail::is_hostname(fields[3])) {
      return make_error(Errc::InvalidArgument, "rtcp: invalid IP4 address {}", detail::quote(fields[3]));
    }
  } else if (ascii::iequals(fields[2], "IP6")) {
    c.address_type = AddressType::IP6;
    if (!detail::is_ipv6_literal(fields[3]) && !detail::is_hostname(fields[3])) {
      return make_error(Errc::InvalidArgument, "rtcp: invalid IP6 address {}", detail::quote(fields[3]));
    }
  } else {
    return make_error(Errc::Unsupported, "rtcp: unsupported address type {}", detail::quote(fields[2]));
  }
  c.address = std::string(fields[3]);
  rtcp.connection = std::move(c);
  return rtcp;
}

std::optional<Rtcp> find_rtcp(const MediaDescription& media) {
  for (const Attribute& a : media.attributes) {
    if (!a.value || !ascii::iequals(a.name, "rtcp")) continue;
    if (auto rtcp = parse_rtcp(*a.value)) return std::move(*rtcp);
  }
  return std::nullopt;
}

std::string format_rtcp(const Rtcp& rtcp) {
  std::string out = std::to_string(rtcp.port);
  if (rtcp.connection) {
    out += ' ';
    append_connection(out, *rtcp.connection);
  }
  return out;
}

bool has_rtcp_mux(const MediaDescription& media) noexcept {
  return media.find_attribute("rtcp-mux") != nullptr;
}

}  // namespace voxgate::sdp
