#include "bot/stream/stream_settings.hpp"

namespace voxgate::bot {

std::string_view to_string(StreamProfile profile) noexcept {
  switch (profile) {
    case StreamProfile::Twilio: return "twilio";
    case StreamProfile::L16: return "l16";
    case StreamProfile::AudioSocket: return "audiosocket";
  }
  return "twilio";
}

std::optional<StreamProfile> stream_profile_from_name(std::string_view name) noexcept {
  for (auto profile : {StreamProfile::Twilio, StreamProfile::L16, StreamProfile::AudioSocket}) {
    if (to_string(profile) == name) return profile;
  }
  return std::nullopt;
}

}  // namespace voxgate::bot
