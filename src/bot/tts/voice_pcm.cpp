#include "bot/tts/voice_pcm.hpp"

#include <algorithm>
#include <cstdlib>

#include "media/codec/resampler.hpp"

namespace voxgate::bot {

Result<std::vector<std::int16_t>> finish_voice_pcm(std::vector<std::int16_t> pcm, int voice_rate, int output_rate,
                                                   std::chrono::milliseconds trailing_silence) {
  const auto loud = [](std::int16_t sample) { return std::abs(static_cast<int>(sample)) > kVoiceSilence; };
  const auto first = std::find_if(pcm.begin(), pcm.end(), loud);
  if (first == pcm.end()) return std::vector<std::int16_t>{};
  const auto last = std::find_if(pcm.rbegin(), pcm.rend(), loud).base();
  const auto keep =
      static_cast<std::ptrdiff_t>(static_cast<std::int64_t>(voice_rate) * trailing_silence.count() / 1000);
  const auto end = pcm.end() - last > keep ? last + keep : pcm.end();
  pcm.erase(end, pcm.end());
  pcm.erase(pcm.begin(), first);

  if (output_rate == voice_rate) return pcm;
  auto resampler = media::Resampler::create(voice_rate, output_rate);
  if (!resampler) return tl::unexpected(resampler.error());
  // The filter holds back a few samples; zeros push the last sound through.
  pcm.resize(pcm.size() + static_cast<std::size_t>(voice_rate / 100), 0);
  std::vector<std::int16_t> out;
  out.reserve(pcm.size() * static_cast<std::size_t>(output_rate) / static_cast<std::size_t>(voice_rate) + 64);
  resampler->process(pcm, out);
  return out;
}

}  // namespace voxgate::bot
