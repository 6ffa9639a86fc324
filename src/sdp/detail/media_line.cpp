#include "sdp/detail/media_line.hpp"

#include <string>

#include "sdp/rtpmap.hpp"

namespace voxgate::sdp::detail {

std::vector<FormatMatch> match_formats(const MediaDescription& remote, const std::vector<Codec>& local) {
  std::vector<FormatMatch> matches;
  for (const std::string& format : remote.formats) {
    const auto map = find_rtpmap(remote, format);
    if (!map) continue;
    for (const Codec& codec : local) {
      if (!codec.matches(*map)) continue;
      bool seen = false;
      for (const FormatMatch& m : matches) seen = seen || m.local == &codec;
      if (!seen) matches.push_back(FormatMatch{map->payload_type, &codec});
      break;
    }
  }
  return matches;
}

std::optional<std::uint8_t> payload_type_of(const MediaDescription& media, const Codec& codec) {
  for (const std::string& format : media.formats) {
    const auto map = find_rtpmap(media, format);
    if (map && codec.matches(*map)) return map->payload_type;
  }
  return std::nullopt;
}

MediaDescription make_audio_line(const LocalMediaConfig& local, std::string_view proto,
                                 const std::vector<Codec>& codecs, Direction direction, bool rtcp_mux) {
  MediaDescription m;
  m.media = "audio";
  m.port = local.rtp_port;
  m.proto = std::string(proto);
  for (const Codec& c : codecs) m.formats.push_back(std::to_string(c.payload_type));
  for (const Codec& c : codecs) m.attributes.push_back(Attribute{"rtpmap", format_rtpmap(c.rtpmap())});
  for (const Codec& c : codecs) {
    if (!c.fmtp.empty()) m.attributes.push_back(Attribute{"fmtp", std::to_string(c.payload_type) + " " + c.fmtp});
  }
  m.attributes.push_back(Attribute{"ptime", std::to_string(local.ptime_ms)});
  m.attributes.push_back(Attribute{std::string(to_string(direction)), std::nullopt});
  if (rtcp_mux) m.attributes.push_back(Attribute{"rtcp-mux", std::nullopt});
  return m;
}

MediaDescription make_rejected_line(const MediaDescription& like) {
  MediaDescription m;
  m.media = like.media;
  m.port = 0;
  m.proto = like.proto;
  m.formats = like.formats;
  return m;
}

bool is_unspecified_address(const Connection& connection) noexcept {
  if (connection.address_type == AddressType::IP4) return connection.address == "0.0.0.0";
  return connection.address == "::" || connection.address == "0:0:0:0:0:0:0:0";
}

}  // namespace voxgate::sdp::detail
