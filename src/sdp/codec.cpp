#include "sdp/codec.hpp"

#include <fmt/format.h>

#include "base/ascii.hpp"

namespace voxgate::sdp {

bool Codec::is_telephone_event() const noexcept {
  return ascii::iequals(encoding_name, "telephone-event");
}

bool Codec::is_comfort_noise() const noexcept {
  return ascii::iequals(encoding_name, "CN");
}

bool Codec::matches(const RtpMap& map) const noexcept {
  return ascii::iequals(encoding_name, map.encoding_name) && clock_rate == map.clock_rate &&
         channels == map.channel_count();
}

RtpMap Codec::rtpmap() const {
  RtpMap map;
  map.payload_type = payload_type;
  map.encoding_name = encoding_name;
  map.clock_rate = clock_rate;
  if (channels != 1) map.channels = channels;
  return map;
}

std::string Codec::describe() const {
  return sdp::describe(rtpmap());
}

std::vector<Codec> default_audio_codecs() {
  return {
      Codec{"PCMU", 8000, 1, 0, ""},
      Codec{"PCMA", 8000, 1, 8, ""},
      Codec{"telephone-event", 8000, 1, 101, "0-16"},
  };
}

std::vector<Codec> supported_audio_codecs() {
  return {
      Codec{"PCMU", 8000, 1, 0, ""},
      Codec{"PCMA", 8000, 1, 8, ""},
      Codec{"G722", 8000, 1, 9, ""},
      Codec{"opus", 48000, 2, 111, "useinbandfec=1"},
      Codec{"telephone-event", 8000, 1, 101, "0-16"},
      Codec{"telephone-event", 48000, 1, 110, "0-16"},
  };
}

std::string describe(const std::vector<Codec>& codecs) {
  std::string out;
  for (const Codec& c : codecs) {
    if (!out.empty()) out += ", ";
    out += c.describe();
  }
  return out;
}

}  // namespace voxgate::sdp
