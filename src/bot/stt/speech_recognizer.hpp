#pragma once
// Speech to text for the voice bot, one utterance at a time: the bot says
// which phrases it expects (the menu it just offered), then feeds the
// caller's audio between the voice activity detector's start and end.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/result.hpp"

namespace voxgate::bot {

struct Transcript {
  std::string text;         // what was recognised; empty when nothing was
  float confidence = 0.0F;  // 0 (nothing) to 1 (certain); each implementation says how it is computed
  bool final = false;       // false: an interim hypothesis that may still change
};

class SpeechRecognizer {
 public:
  SpeechRecognizer() = default;
  SpeechRecognizer(const SpeechRecognizer&) = delete;
  SpeechRecognizer& operator=(const SpeechRecognizer&) = delete;
  virtual ~SpeechRecognizer() = default;

  // The rate of the PCM feed() expects.
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;

  // The phrases the next utterances may contain (keyword/grammar mode).
  // Fails with InvalidArgument naming a word the recogniser cannot know,
  // and with InvalidState during an utterance.
  virtual Result<void> expect(std::span<const std::string> phrases) = 0;

  virtual Result<void> start_utterance() = 0;

  // Decodes the next piece of the utterance (any length, 16-bit mono at
  // sample_rate()). Returns an interim transcript when the hypothesis
  // changed, nullopt when it did not.
  virtual Result<std::optional<Transcript>> feed(std::span<const std::int16_t> pcm) = 0;

  // Ends the utterance and returns its final transcript.
  virtual Result<Transcript> finish_utterance() = 0;

  // Ends the utterance, if one is running, discarding it (barge-in, hang-up).
  virtual void cancel_utterance() noexcept = 0;
};

}  // namespace voxgate::bot
