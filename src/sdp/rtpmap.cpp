#include "sdp/rtpmap.hpp"

#include <array>
#include <cstddef>

#include <fmt/format.h>

#include "base/ascii.hpp"
#include "sdp/detail/text.hpp"

namespace voxgate::sdp {

namespace {

struct StaticType {
  std::uint8_t payload_type;
  std::string_view name;
  std::uint32_t clock_rate;
  std::uint8_t channels;
};

// RFC 3551 §6, tables 4 and 5. G722's RTP clock rate is 8000 although it
// samples at 16 kHz (RFC 3551 §4.5.2).
constexpr std::array<StaticType, 25> kStaticTypes{{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 0},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 0}, {26, "JPEG", 90000, 0}, {28, "nv", 90000, 0},
    {31, "H261", 90000, 0}, {32, "MPV", 90000, 0},  {33, "MP2T", 90000, 0}, {34, "H263", 90000, 0},
    {2, "G721", 8000, 1},  // withdrawn by RFC 3551 but still sent by old gear
}};

}  // namespace

Result<RtpMap> parse_rtpmap(std::string_view value) {
  value = detail::trim(value);
  const std::size_t space = value.find_first_of(" \t");
  if (space == std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "rtpmap: expected \"<payload type> <encoding>/<clock rate>\", got {}",
                      detail::quote(value));
  }
  RtpMap map;
  const auto pt = detail::parse_decimal(value.substr(0, space), 127);
  if (!pt) return make_error(Errc::InvalidArgument, "rtpmap: invalid payload type: {}", detail::quote(value));
  map.payload_type = static_cast<std::uint8_t>(*pt);
  const std::string_view encoding = detail::trim(value.substr(space + 1));
  const std::size_t slash = encoding.find('/');
  if (slash == std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "rtpmap: missing clock rate: {}", detail::quote(value));
  }
  const std::string_view name = encoding.substr(0, slash);
  if (!detail::is_token(name))
    return make_error(Errc::InvalidArgument, "rtpmap: invalid encoding name: {}", detail::quote(value));
  map.encoding_name = std::string(name);
  const std::string_view rest = encoding.substr(slash + 1);
  const std::size_t second = rest.find('/');
  const auto rate = detail::parse_decimal(rest.substr(0, second), 0xFFFFFFFFU);
  if (!rate || *rate == 0)
    return make_error(Errc::InvalidArgument, "rtpmap: invalid clock rate: {}", detail::quote(value));
  map.clock_rate = static_cast<std::uint32_t>(*rate);
  if (second != std::string_view::npos) {
    const auto channels = detail::parse_decimal(rest.substr(second + 1), 255);
    if (!channels || *channels == 0) {
      return make_error(Errc::InvalidArgument, "rtpmap: invalid encoding parameters: {}", detail::quote(value));
    }
    map.channels = static_cast<std::uint8_t>(*channels);
  }
  return map;
}

std::string format_rtpmap(const RtpMap& map) {
  return fmt::format("{} {}", map.payload_type, describe(map));
}

std::string describe(const RtpMap& map) {
  if (map.channels) return fmt::format("{}/{}/{}", map.encoding_name, map.clock_rate, *map.channels);
  return fmt::format("{}/{}", map.encoding_name, map.clock_rate);
}

std::optional<RtpMap> static_payload_type(std::uint8_t payload_type) {
  for (const StaticType& t : kStaticTypes) {
    if (t.payload_type != payload_type) continue;
    RtpMap map;
    map.payload_type = t.payload_type;
    map.encoding_name = std::string(t.name);
    map.clock_rate = t.clock_rate;
    if (t.channels > 1) map.channels = t.channels;
    return map;
  }
  return std::nullopt;
}

std::optional<RtpMap> find_rtpmap(const MediaDescription& media, std::string_view format) {
  const auto pt = detail::parse_decimal(format, 127);
  if (!pt) return std::nullopt;
  for (const Attribute& a : media.attributes) {
    if (!a.value || !ascii::iequals(a.name, "rtpmap")) continue;
    auto map = parse_rtpmap(*a.value);
    if (map && map->payload_type == *pt) return std::move(*map);
  }
  return static_payload_type(static_cast<std::uint8_t>(*pt));
}

}  // namespace voxgate::sdp
