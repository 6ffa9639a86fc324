#pragma once
// Text to speech by eSpeak NG (Debian's libespeak-ng-dev, 1.51): a formant
// synthesiser with voices for about a hundred languages, the optional second
// voice beside flite (docs/adr/0005-speech-providers.md). It always speaks
// at 22,050 Hz, so its audio is resampled (media::Resampler) to the call's
// rate.
//
// Thread safety: espeak-ng is a process-wide singleton, not a library of
// objects. espeak_Initialize, the current voice, the rate and pitch
// parameters, the synthesis callback and the phoneme and wave buffers it
// fills are all global variables, and the library takes no lock of its own
// in synchronous mode. Every EspeakSynthesizer therefore takes one
// process-wide lock around espeak-ng (and each synthesize() sets its own
// voice and parameters under it, since another synthesizer may have
// changed them): synthesize() may be called from any thread, and calls from
// several threads are serialised. Measured by voxgate_bot_tts_bench, one
// core speaks far faster than real time, so the lock is no bottleneck for
// 50 calls.

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "bot/tts/speech_synthesizer.hpp"

namespace voxgate::bot {

struct EspeakOptions {
  // An espeak-ng voice name or language ("en-us", "en-gb", "de", "fr";
  // `espeak-ng --voices` lists them).
  std::string voice = "en-us";
  // Speaking rate in words per minute; espeak-ng accepts 80 to 450 (its
  // default is 175).
  int words_per_minute = 175;
  // Base pitch, 0 to 100 (50 is the voice's own).
  int pitch = 50;
  // The rate synthesize() returns; 0 keeps espeak-ng's 22,050 Hz.
  int output_rate = 0;
  // Silence kept after the last sound, as for flite: espeak-ng ends every
  // clause with a pause that would only delay the next chunk.
  std::chrono::milliseconds trailing_silence{100};
  // espeak-ng's data directory (phontab, voices, dictionaries); the default
  // is where the package installs it (found by CMake). The library is
  // initialised once per process, so every synthesizer must name the same.
  std::string data_path = default_data_path();

  static std::string default_data_path();
};

class EspeakSynthesizer final : public SpeechSynthesizer {
 public:
  // Initialises espeak-ng on first use. NotFound when the data directory is
  // missing or the voice is unknown; InvalidArgument for a rate, pitch,
  // output rate or trailing silence out of range, or a data path other than
  // the one espeak-ng was initialised with.
  static Result<std::unique_ptr<EspeakSynthesizer>> create(const EspeakOptions& options = {});

  [[nodiscard]] int sample_rate() const noexcept override { return output_rate_; }

  // Speaks `text` (UTF-8) with the leading silence removed and the trailing
  // silence cut to the configured length.
  Result<std::vector<std::int16_t>> synthesize(std::string_view text) override;

 private:
  EspeakSynthesizer(int voice_rate, int output_rate, EspeakOptions options) noexcept
      : voice_rate_(voice_rate), output_rate_(output_rate), options_(std::move(options)) {}

  int voice_rate_;  // espeak-ng's own, 22,050 Hz
  int output_rate_;
  EspeakOptions options_;
};

}  // namespace voxgate::bot
