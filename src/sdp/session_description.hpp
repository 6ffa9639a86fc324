#pragma once
// An SDP session description (RFC 4566) as a plain value: every field the
// RFC defines, in the order it defines them, so that a description can be
// parsed, inspected, edited, compared and serialized again.
//
// Nothing is lost on the way through: attributes keep their order and
// unknown ones are kept verbatim, and lines whose type this code does not
// interpret (r=, z=, k= and letters RFC 4566 does not define) are kept too,
// so re-serializing a received description keeps what its sender meant.
// Typed views of the attributes voxgate uses (rtpmap, fmtp, ptime,
// direction, rtcp, rtcp-mux) are in attributes.hpp and rtpmap.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strong_id.hpp"

namespace voxgate::sdp {

// o=<sess-id> (RFC 4566 §5.2): with the username and address it identifies
// the session globally; RFC 3264 §8 requires it to stay the same for the life
// of an offer/answer session.
using SessionId = StrongId<struct SessionIdTag>;

// The <addrtype> of o=, c= and a=rtcp. RFC 4566 §5.7 defines IP4 and IP6 for
// the only network type, IN; nothing else is in use, so the parser rejects
// other values as unsupported instead of carrying an uninterpretable address.
enum class AddressType : std::uint8_t { IP4, IP6 };

std::string_view to_string(AddressType type) noexcept;

// o= (RFC 4566 §5.2). The network type is always IN.
struct Origin {
  std::string username = "-";  // "-" when the host has no notion of user ids
  SessionId session_id;
  // Incremented whenever the description changes (RFC 3264 §8); a re-sent
  // description with the same version must be identical.
  std::uint64_t session_version = 0;
  AddressType address_type = AddressType::IP4;
  std::string address;  // where the session was created (informative only)

  friend bool operator==(const Origin&, const Origin&) = default;
};

// c= (RFC 4566 §5.7). The network type is always IN.
struct Connection {
  AddressType address_type = AddressType::IP4;
  std::string address;  // IP literal or FQDN, without the "/ttl/count" suffix
  // "/<ttl>": IP4 multicast only (RFC 4566 §5.7). Tolerated on any IP4
  // address because some peers write it on unicast addresses too.
  std::optional<std::uint8_t> ttl;
  // "/<number of addresses>" for layered multicast.
  std::optional<std::uint32_t> address_count;

  friend bool operator==(const Connection&, const Connection&) = default;
};

// b=<bwtype>:<bandwidth> (RFC 4566 §5.8; TIAS from RFC 3890, RS/RR from RFC
// 3556). The type is kept as written: new types are defined by extension.
struct Bandwidth {
  std::string type;
  std::uint64_t value = 0;

  friend bool operator==(const Bandwidth&, const Bandwidth&) = default;
};

// t= and the r= lines that follow it (RFC 4566 §5.9, §5.10). SIP sessions use
// "t=0 0"; repeat times are kept as text.
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;  // r= values

  friend bool operator==(const Timing&, const Timing&) = default;
};

// a=<name> or a=<name>:<value> (RFC 4566 §5.13). A property attribute has no
// value; "a=name:" (a present, empty value) is kept distinct from "a=name".
struct Attribute {
  std::string name;
  std::optional<std::string> value;

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

using Attributes = std::vector<Attribute>;

// The first attribute named `name` (ASCII case-insensitive), or nullptr.
const Attribute* find_attribute(const Attributes& attributes, std::string_view name) noexcept;

// A line whose type letter RFC 4566 does not define. RFC 4566 §5 says such a
// description should be ignored; real peers do send a few (GB28181 "y=" and
// "f=", for instance), so they are kept rather than failing the call.
struct OtherLine {
  char type = 'x';
  std::string value;

  friend bool operator==(const OtherLine&, const OtherLine&) = default;
};

// <media> of m= (RFC 4566 §5.14, §8.2.1; "image" from RFC 6466).
enum class MediaKind : std::uint8_t { Audio, Video, Text, Application, Message, Image, Other };

// The <proto> of m= as voxgate tells them apart (RFC 3551, RFC 3711, RFC
// 4585, RFC 5124, RFC 5764).
enum class TransportProtocol : std::uint8_t {
  RtpAvp,          // RTP/AVP: plain RTP, what SIP phones and trunks use
  RtpAvpf,         // RTP/AVPF: RTP with early RTCP feedback
  RtpSavp,         // RTP/SAVP: SRTP with SDES keys
  RtpSavpf,        // RTP/SAVPF
  UdpTlsRtpSavp,   // UDP/TLS/RTP/SAVP: DTLS-SRTP
  UdpTlsRtpSavpf,  // UDP/TLS/RTP/SAVPF: WebRTC
  Udp,             // udp: not RTP
  Other,
};

MediaKind media_kind(std::string_view media) noexcept;
TransportProtocol transport_protocol(std::string_view proto) noexcept;
// Whether m= formats are RTP payload type numbers (RFC 4566 §5.14: any
// proto with an RTP profile).
bool is_rtp_protocol(std::string_view proto) noexcept;

// m= and the lines of its section (RFC 4566 §5.14).
struct MediaDescription {
  std::string media;  // "audio", "video", ... as written
  // 0 rejects or disables the stream (RFC 3264 §6, §8.2).
  std::uint16_t port = 0;
  std::optional<std::uint16_t> port_count;  // "<port>/<number of ports>"
  std::string proto;                        // "RTP/AVP", "UDP/TLS/RTP/SAVPF", ...
  std::vector<std::string> formats;         // RTP: payload type numbers, in preference order
  std::optional<std::string> title;         // i=
  // c= lines; more than one only for layered multicast. When empty, the
  // session-level c= applies (RFC 4566 §5.7).
  std::vector<Connection> connections;
  std::vector<Bandwidth> bandwidths;
  std::optional<std::string> key;  // k= (obsolete; RFC 8866 §5.12)
  Attributes attributes;
  std::vector<OtherLine> other_lines;

  [[nodiscard]] MediaKind kind() const noexcept { return media_kind(media); }
  [[nodiscard]] TransportProtocol transport() const noexcept { return transport_protocol(proto); }
  [[nodiscard]] bool is_rtp() const noexcept { return is_rtp_protocol(proto); }
  [[nodiscard]] const Attribute* find_attribute(std::string_view name) const noexcept {
    return sdp::find_attribute(attributes, name);
  }

  friend bool operator==(const MediaDescription&, const MediaDescription&) = default;
};

// A whole description (RFC 4566 §5). v= is always 0, so it has no field.
struct SessionDescription {
  Origin origin;
  std::string session_name;                // s=; may be empty (serialized as "s= ")
  std::optional<std::string> information;  // i=
  std::optional<std::string> uri;          // u=
  std::vector<std::string> emails;         // e=
  std::vector<std::string> phones;         // p=
  std::optional<Connection> connection;    // session-level c=
  std::vector<Bandwidth> bandwidths;
  std::vector<Timing> timings;            // at least one after parsing
  std::optional<std::string> time_zones;  // z=
  std::optional<std::string> key;         // k=
  Attributes attributes;
  std::vector<OtherLine> other_lines;
  std::vector<MediaDescription> media;

  [[nodiscard]] const Attribute* find_attribute(std::string_view name) const noexcept {
    return sdp::find_attribute(attributes, name);
  }

  friend bool operator==(const SessionDescription&, const SessionDescription&) = default;
};

// The connection that applies to a media section: its own first c= if it has
// one, else the session's (RFC 4566 §5.7). nullptr when neither exists.
const Connection* effective_connection(const SessionDescription& session, const MediaDescription& media) noexcept;

}  // namespace voxgate::sdp
