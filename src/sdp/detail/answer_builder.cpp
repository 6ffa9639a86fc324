#include "sdp/detail/answer_builder.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sdp/attributes.hpp"
#include "sdp/detail/media_line.hpp"
#include "sdp/rtpmap.hpp"

namespace voxgate::sdp::detail {

namespace {

constexpr std::size_t kMaxReasonLength = 400;

// What the offer lists in one stream, for the rejection reason.
std::string describe_offered(const MediaDescription& m) {
  std::string out;
  for (const std::string& format : m.formats) {
    if (!out.empty()) out += ", ";
    const auto map = find_rtpmap(m, format);
    out += map ? describe(*map) : "payload type " + format;
  }
  return out.empty() ? "no formats" : out;
}

// Our codecs for an accepted stream: the common ones in the offerer's order,
// under the offerer's numbers. telephone-event joins only at the clock rate
// of the first audio codec, the one both sides will send (RFC 4733 §2.1).
std::vector<Codec> answer_codecs(const std::vector<FormatMatch>& matches) {
  std::vector<Codec> codecs;
  const FormatMatch* first_audio = nullptr;
  for (const FormatMatch& m : matches) {
    if (m.local->carries_audio()) {
      first_audio = &m;
      break;
    }
  }
  if (first_audio == nullptr) return codecs;
  for (const FormatMatch& m : matches) {
    if (m.local->is_telephone_event() && m.local->clock_rate != first_audio->local->clock_rate) continue;
    Codec c = *m.local;
    c.payload_type = m.payload_type;
    codecs.push_back(std::move(c));
  }
  return codecs;
}

}  // namespace

Result<BuiltAnswer> build_answer(const SessionDescription& offer, const LocalMediaConfig& local) {
  BuiltAnswer out;
  SessionDescription& sdp = out.sdp;
  sdp.session_name = local.session_name;
  sdp.connection = Connection{local.address_type, local.address, std::nullopt, std::nullopt};
  // §6: "The t= line in the answer MUST equal that of the offer."
  sdp.timings = offer.timings.empty() ? std::vector<Timing>{Timing{}} : offer.timings;

  std::optional<std::size_t> accepted;
  bool audio_without_codec = false;
  std::vector<std::string> reasons;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& m = offer.media[i];
    sdp.media.push_back(make_rejected_line(m));
    if (m.port == 0) continue;  // the offerer disabled it (§8.2)
    const std::string where = fmt::format("m={} (line {})", m.media, i + 1);
    if (m.kind() != MediaKind::Audio) {
      reasons.push_back(where + ": media type not supported");
      continue;
    }
    if (accepted) continue;  // one audio stream per call
    const TransportProtocol transport = m.transport();
    if (transport != TransportProtocol::RtpAvp && transport != TransportProtocol::RtpAvpf) {
      reasons.push_back(fmt::format("{}: transport {} not supported (we support RTP/AVP, RTP/AVPF)", where, m.proto));
      continue;
    }
    const Connection* connection = effective_connection(offer, m);
    if (connection == nullptr) {
      reasons.push_back(where + ": no connection address");
      continue;
    }
    const std::vector<Codec> codecs = answer_codecs(match_formats(m, local.codecs));
    if (codecs.empty()) {
      audio_without_codec = true;
      reasons.push_back(
          fmt::format("{}: offers {}; we support {}", where, describe_offered(m), describe(local.codecs)));
      continue;
    }
    // §8.4: c=0.0.0.0 means "send nothing here", like an offer without its
    // receive side; answer_direction() then takes away our send side.
    Direction offered = effective_direction(offer, m);
    if (is_unspecified_address(*connection)) offered = make_direction(sends(offered), false);
    const bool rtcp_mux = local.rtcp_mux && has_rtcp_mux(m);
    MediaDescription& line = sdp.media.back();
    line = make_audio_line(local, m.proto, codecs, answer_direction(offered, local.direction), rtcp_mux);
    line.media = m.media;  // §6: the offer's media type, as the offerer wrote it
    accepted = i;
  }
  if (!accepted) {
    if (offer.media.empty()) return make_error(Errc::Unsupported, "no acceptable media: the offer has no m= line");
    std::string details;
    for (const std::string& r : reasons) details += (details.empty() ? "" : "; ") + r;
    if (details.empty()) details = "every stream is disabled (port 0)";
    // It ends up in a Warning header: keep it to a readable length.
    if (details.size() > kMaxReasonLength) details = details.substr(0, kMaxReasonLength) + "...";
    return make_error(Errc::Unsupported, "{}: {}", audio_without_codec ? "no common codec" : "no acceptable media",
                      details);
  }
  out.audio_slot = *accepted;
  return out;
}

}  // namespace voxgate::sdp::detail
