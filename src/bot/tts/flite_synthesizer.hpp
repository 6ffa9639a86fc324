#pragma once
// Text to speech by CMU flite (Debian's flite1-dev): small, fast, entirely
// local, with voices compiled into the library. The default is the 8 kHz
// diphone voice kal, which is the telephone band already: no resampling for
// G.711 calls. kal16 is the same speaker at 16 kHz, for wideband calls.
//
// Thread safety: flite keeps each voice as a process-wide singleton
// (register_cmu_us_kal returns the same cst_voice every time) with
// non-atomic reference counts on its feature values, so two synthesis runs
// on one voice must not overlap. Every FliteSynthesizer therefore takes one
// process-wide lock around flite: synthesize() may be called from any
// thread, and calls from several threads are serialised. At the measured
// cost (voxgate_bot_tts_bench: about 115 µs of CPU per character for kal)
// one core speaks over 600 times faster than real time, so the lock is no
// bottleneck for 50 calls.

#include <chrono>
#include <memory>

#include "bot/tts/speech_synthesizer.hpp"

struct cst_voice_struct;

namespace voxgate::bot {

struct FliteOptions {
  enum class Voice {
    Kal,    // cmu_us_kal, 8 kHz diphone voice
    Kal16,  // cmu_us_kal16, the same voice at 16 kHz
  };
  Voice voice = Voice::Kal;
  // The rate synthesize() returns; 0 keeps the voice's own. Anything else is
  // resampled (media::Resampler).
  int output_rate = 0;
  // Silence kept after the last sound; flite ends every utterance with a
  // pause of a few hundred milliseconds that would only delay the next chunk.
  std::chrono::milliseconds trailing_silence{100};
};

class FliteSynthesizer final : public SpeechSynthesizer {
 public:
  // Fails on an output rate the resampler refuses.
  static Result<std::unique_ptr<FliteSynthesizer>> create(const FliteOptions& options = {});

  [[nodiscard]] int sample_rate() const noexcept override { return output_rate_; }

  // Speaks `text` with the leading silence removed (the first sound starts
  // within a millisecond of the buffer's start, so it leaves early) and the
  // trailing silence cut to the configured length.
  Result<std::vector<std::int16_t>> synthesize(std::string_view text) override;

 private:
  FliteSynthesizer(cst_voice_struct* voice, int voice_rate, int output_rate, const FliteOptions& options) noexcept
      : voice_(voice), voice_rate_(voice_rate), output_rate_(output_rate), options_(options) {}

  cst_voice_struct* voice_;  // flite's process-wide voice; never freed
  int voice_rate_;
  int output_rate_;
  FliteOptions options_;
};

}  // namespace voxgate::bot
