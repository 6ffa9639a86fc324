#include "bot/tts/flite_synthesizer.hpp"

#include <flite.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>

#include "bot/tts/voice_pcm.hpp"
#include "media/codec/resampler.hpp"

extern "C" cst_voice* register_cmu_us_kal(const char* voxdir);
extern "C" cst_voice* register_cmu_us_kal16(const char* voxdir);

namespace voxgate::bot {

namespace {

// flite's state is process-wide (see the header): so is the lock that
// guards it. This is the one piece of global mutable state here, and it only
// mirrors the library's own.
std::mutex& flite_lock() {
  static std::mutex lock;
  return lock;
}

}  // namespace

Result<std::unique_ptr<FliteSynthesizer>> FliteSynthesizer::create(const FliteOptions& options) {
  cst_voice* voice = nullptr;
  {
    const std::scoped_lock guard(flite_lock());
    flite_init();  // idempotent: registers the language and lexicon tables
    voice = options.voice == FliteOptions::Voice::Kal16 ? register_cmu_us_kal16(nullptr) : register_cmu_us_kal(nullptr);
  }
  if (voice == nullptr) {
    return make_error(Errc::Internal, "flite could not register its voice");
  }
  const int voice_rate = options.voice == FliteOptions::Voice::Kal16 ? 16000 : 8000;
  const int output_rate = options.output_rate == 0 ? voice_rate : options.output_rate;
  if (output_rate != voice_rate) {
    // Refuse now rather than on the first prompt.
    if (auto resampler = media::Resampler::create(voice_rate, output_rate); !resampler) {
      return tl::unexpected(resampler.error());
    }
  }
  if (options.trailing_silence.count() < 0) {
    return make_error(Errc::InvalidArgument, "negative trailing silence");
  }
  return std::unique_ptr<FliteSynthesizer>(new FliteSynthesizer(voice, voice_rate, output_rate, options));
}

Result<std::vector<std::int16_t>> FliteSynthesizer::synthesize(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); })) {
    return std::vector<std::int16_t>{};
  }
  const std::string terminated(text);  // flite wants a C string
  std::vector<std::int16_t> pcm;
  int rate = 0;
  {
    const std::scoped_lock guard(flite_lock());
    cst_wave* wave = flite_text_to_wave(terminated.c_str(), voice_);
    if (wave == nullptr) {
      return make_error(Errc::Internal, "flite could not synthesise \"{}\"", text);
    }
    pcm.assign(wave->samples, wave->samples + wave->num_samples);
    rate = wave->sample_rate;
    delete_wave(wave);
  }
  if (rate != voice_rate_) {
    return make_error(Errc::Internal, "flite spoke at {} Hz, not the voice's {} Hz", rate, voice_rate_);
  }

  return finish_voice_pcm(std::move(pcm), voice_rate_, output_rate_, options_.trailing_silence);
}

}  // namespace voxgate::bot
