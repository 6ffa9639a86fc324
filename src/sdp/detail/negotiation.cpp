#include "sdp/detail/negotiation.hpp"

#include <cstddef>
#include <optional>
#include <string>

#include "base/ascii.hpp"
#include "sdp/attributes.hpp"
#include "sdp/detail/media_line.hpp"
#include "sdp/rtpmap.hpp"

namespace voxgate::sdp::detail {

namespace {

// `codec` as both sides list it, or nullopt if one of them does not.
std::optional<NegotiatedCodec> agree(const Codec& codec, const MediaDescription& local,
                                     const MediaDescription& remote) {
  const auto ours = payload_type_of(local, codec);
  const auto theirs = payload_type_of(remote, codec);
  if (!ours || !theirs) return std::nullopt;
  NegotiatedCodec out;
  out.encoding_name = codec.encoding_name;
  out.clock_rate = codec.clock_rate;
  out.channels = codec.channels;
  out.send_payload_type = *theirs;
  out.receive_payload_type = *ours;
  out.send_fmtp = find_fmtp(remote, std::to_string(*theirs)).value_or("");
  return out;
}

std::optional<NegotiatedStream> negotiate_stream(const SessionDescription& local_sdp,
                                                 const SessionDescription& remote_sdp, std::size_t index,
                                                 bool local_is_answer, const LocalMediaConfig& config) {
  const MediaDescription& local = local_sdp.media[index];
  const MediaDescription& remote = remote_sdp.media[index];
  if (local.port == 0 || remote.port == 0 || local.kind() != MediaKind::Audio || !local.is_rtp()) return std::nullopt;
  const Connection* connection = effective_connection(remote_sdp, remote);
  if (connection == nullptr) return std::nullopt;

  NegotiatedStream s;
  s.m_line = index;
  const MediaDescription& answer = local_is_answer ? local : remote;
  for (const FormatMatch& m : match_formats(answer, config.codecs)) {
    if (!m.local->carries_audio()) continue;
    if (auto codec = agree(*m.local, local, remote)) {
      s.codec = std::move(*codec);
      break;
    }
  }
  if (s.codec.encoding_name.empty()) return std::nullopt;
  for (const Codec& c : config.codecs) {
    if (!c.is_telephone_event() || c.clock_rate != s.codec.clock_rate) continue;
    s.telephone_event = agree(c, local, remote);
    if (s.telephone_event) break;
  }

  s.remote_rtp = TransportAddress{connection->address_type, connection->address, remote.port};
  s.local_rtp_port = local.port;
  s.rtcp_mux = has_rtcp_mux(local) && has_rtcp_mux(remote);
  if (s.rtcp_mux) {
    s.remote_rtcp = s.remote_rtp;
  } else if (auto rtcp = find_rtcp(remote)) {
    s.remote_rtcp = rtcp->connection
                        ? TransportAddress{rtcp->connection->address_type, rtcp->connection->address, rtcp->port}
                        : TransportAddress{connection->address_type, connection->address, rtcp->port};
  } else {
    s.remote_rtcp = s.remote_rtp;
    if (s.remote_rtcp.port < 65535) ++s.remote_rtcp.port;
  }
  s.ptime_ms = find_ptime(remote_sdp, remote).value_or(config.ptime_ms);

  // Our side: we send if we said we would and the peer receives, and we
  // receive if we said so and the peer sends (RFC 3264 §6.1); nothing is
  // sent to an unspecified address (§8.4).
  const Direction ours = effective_direction(local_sdp, local);
  const Direction theirs = effective_direction(remote_sdp, remote);
  s.direction = make_direction(sends(ours) && receives(theirs) && !is_unspecified_address(*connection),
                               receives(ours) && sends(theirs));
  return s;
}

}  // namespace

Result<void> check_answer(const SessionDescription& offer, const SessionDescription& answer) {
  if (answer.media.size() != offer.media.size()) {
    return make_error(Errc::InvalidArgument, "answer has {} m= lines, the offer had {} (RFC 3264 §6)",
                      answer.media.size(), offer.media.size());
  }
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    if (!ascii::iequals(offer.media[i].media, answer.media[i].media)) {
      return make_error(Errc::InvalidArgument, "answer m= line {} is {}, the offer's is {} (RFC 3264 §6)", i + 1,
                        answer.media[i].media, offer.media[i].media);
    }
  }
  return {};
}

NegotiatedMedia negotiate(const SessionDescription& local, const SessionDescription& remote, bool local_is_answer,
                          const LocalMediaConfig& config) {
  NegotiatedMedia out;
  const std::size_t lines = local.media.size() < remote.media.size() ? local.media.size() : remote.media.size();
  for (std::size_t i = 0; i < lines; ++i) {
    if (auto s = negotiate_stream(local, remote, i, local_is_answer, config)) out.streams.push_back(std::move(*s));
  }
  return out;
}

}  // namespace voxgate::sdp::detail
