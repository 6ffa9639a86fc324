// What a streaming bot sends voxgate (bot/stream): Twilio Media Streams
// JSON, jambonz-style L16 commands and audio, AudioSocket frames. The first
// byte picks the profile and whether the message is binary; the rest is the
// message. Whatever it is, decode() answers commands or an InvalidArgument
// with a message, and audio a codec sends decodes back to as many samples.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bot/stream/audiosocket_codec.hpp"
#include "bot/stream/l16_codec.hpp"
#include "bot/stream/twilio_codec.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voxgate::bot;
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const voxgate::bot::StreamMessage message{(selector & 0x10) != 0,
                                            std::string(reinterpret_cast<const char*>(data + 1), size - 1)};
  TwilioCodec twilio({"MZ00000000000000000000000000000001", "AC00000000000000000000000000000000", true});
  L16Codec l16({(selector & 0x20) != 0 ? 16000 : 8000, true});
  AudioSocketCodec audiosocket;
  StreamCodec* codecs[] = {&twilio, &l16, &audiosocket};
  StreamCodec& codec = *codecs[(selector & 0x0f) % 3];

  const auto commands = codec.decode(message);
  FUZZ_CHECK(voxgate::fuzz::refused_properly(commands));
  if (commands) {
    for (const auto& command : *commands) {
      if (const auto* mark = std::get_if<BotMark>(&command)) FUZZ_CHECK(!mark->name.empty());
    }
  }
  // The bytes as caller audio: what a codec sends it reads back whole (the
  // Twilio codec decodes µ-law, so only the count is kept).
  std::vector<std::int16_t> pcm((size - 1) / 2);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<std::int16_t>(data[1 + 2 * i] | (data[2 + 2 * i] << 8));
  }
  if (pcm.size() > 8000) pcm.resize(8000);
  if (&codec == &twilio) return 0;  // the gateway's media message is not the bot's
  auto echoed = codec.decode(codec.caller_audio(pcm));
  FUZZ_CHECK(echoed && echoed->size() == 1 && std::get<BotAudio>(echoed->front()).pcm == pcm);
  return 0;
}
