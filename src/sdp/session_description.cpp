#include "sdp/session_description.hpp"

#include <cstddef>

#include "base/ascii.hpp"

namespace voxgate::sdp {

std::string_view to_string(AddressType type) noexcept {
  switch (type) {
    case AddressType::IP4: return "IP4";
    case AddressType::IP6: return "IP6";
  }
  return "IP4";
}

const Attribute* find_attribute(const Attributes& attributes, std::string_view name) noexcept {
  for (const Attribute& a : attributes) {
    if (ascii::iequals(a.name, name)) return &a;
  }
  return nullptr;
}

MediaKind media_kind(std::string_view media) noexcept {
  if (ascii::iequals(media, "audio")) return MediaKind::Audio;
  if (ascii::iequals(media, "video")) return MediaKind::Video;
  if (ascii::iequals(media, "text")) return MediaKind::Text;
  if (ascii::iequals(media, "application")) return MediaKind::Application;
  if (ascii::iequals(media, "message")) return MediaKind::Message;
  if (ascii::iequals(media, "image")) return MediaKind::Image;
  return MediaKind::Other;
}

TransportProtocol transport_protocol(std::string_view proto) noexcept {
  if (ascii::iequals(proto, "RTP/AVP")) return TransportProtocol::RtpAvp;
  if (ascii::iequals(proto, "RTP/AVPF")) return TransportProtocol::RtpAvpf;
  if (ascii::iequals(proto, "RTP/SAVP")) return TransportProtocol::RtpSavp;
  if (ascii::iequals(proto, "RTP/SAVPF")) return TransportProtocol::RtpSavpf;
  if (ascii::iequals(proto, "UDP/TLS/RTP/SAVP")) return TransportProtocol::UdpTlsRtpSavp;
  if (ascii::iequals(proto, "UDP/TLS/RTP/SAVPF")) return TransportProtocol::UdpTlsRtpSavpf;
  if (ascii::iequals(proto, "udp")) return TransportProtocol::Udp;
  return TransportProtocol::Other;
}

bool is_rtp_protocol(std::string_view proto) noexcept {
  // "RTP/..." and ".../RTP/..." (UDP/TLS/RTP/SAVPF, TCP/RTP/AVP of RFC 4571).
  if (ascii::istarts_with(proto, "RTP/")) return true;
  for (std::size_t i = 0; i < proto.size(); ++i) {
    if (ascii::istarts_with(proto.substr(i), "/RTP/")) return true;
  }
  return false;
}

const Connection* effective_connection(const SessionDescription& session, const MediaDescription& media) noexcept {
  if (!media.connections.empty()) return &media.connections.front();
  if (session.connection) return &*session.connection;
  return nullptr;
}

}  // namespace voxgate::sdp
