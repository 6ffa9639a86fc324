#include "sdp/detail/offer_builder.hpp"

#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "sdp/detail/media_line.hpp"

namespace voxgate::sdp::detail {

namespace {

// Our codecs with the payload types to offer them under: the number the
// previous exchange used for a codec (RFC 3264 §8.3.2: a dynamic number keeps
// its meaning for the whole session; after answering, that is the original
// offerer's number), else the codec's own number, else a free dynamic one.
std::vector<Codec> assign_payload_types(const LocalMediaConfig& local, const MediaDescription* previous_audio) {
  std::vector<Codec> codecs = local.codecs;
  std::array<bool, 128> used{};
  std::vector<bool> assigned(codecs.size(), false);
  if (previous_audio != nullptr) {
    for (std::size_t i = 0; i < codecs.size(); ++i) {
      const auto pt = payload_type_of(*previous_audio, codecs[i]);
      if (pt && !used.at(*pt)) {
        codecs[i].payload_type = *pt;
        used.at(*pt) = true;
        assigned[i] = true;
      }
    }
  }
  for (std::size_t i = 0; i < codecs.size(); ++i) {
    if (assigned[i]) continue;
    if (codecs[i].payload_type < used.size() && !used.at(codecs[i].payload_type)) {
      used.at(codecs[i].payload_type) = true;
      continue;
    }
    for (std::uint8_t pt = 96; pt < 128; ++pt) {
      if (!used.at(pt)) {
        codecs[i].payload_type = pt;
        used.at(pt) = true;
        break;
      }
    }
  }
  return codecs;
}

}  // namespace

BuiltOffer build_offer(const LocalMediaConfig& local, const SessionDescription* previous,
                       std::optional<std::size_t> audio_slot) {
  BuiltOffer out;
  SessionDescription& sdp = out.sdp;
  sdp.session_name = local.session_name;
  sdp.connection = Connection{local.address_type, local.address, std::nullopt, std::nullopt};
  sdp.timings.push_back(Timing{});

  // Without a usable previous slot, the audio line is appended.
  const MediaDescription* previous_audio = nullptr;
  std::size_t slot = previous != nullptr ? previous->media.size() : 0;
  if (previous != nullptr && audio_slot.has_value() && audio_slot.value() < previous->media.size()) {
    slot = audio_slot.value();
    previous_audio = &previous->media[slot];
  }
  const std::vector<Codec> codecs = assign_payload_types(local, previous_audio);
  // An existing stream keeps its transport (RTP/AVPF if we answered one).
  const std::string_view proto = previous_audio != nullptr ? std::string_view(previous_audio->proto) : "RTP/AVP";
  MediaDescription audio = make_audio_line(local, proto, codecs, local.direction, local.rtcp_mux);
  if (previous_audio != nullptr) audio.media = previous_audio->media;

  if (previous != nullptr) {
    for (std::size_t i = 0; i < previous->media.size(); ++i) {
      sdp.media.push_back(i == slot ? audio : make_rejected_line(previous->media[i]));
    }
  }
  if (slot == sdp.media.size()) sdp.media.push_back(std::move(audio));
  out.audio_slot = slot;
  return out;
}

}  // namespace voxgate::sdp::detail
