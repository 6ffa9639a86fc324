#pragma once
// Text to speech for the voice bot: one chunk of text in, linear PCM out.
// Long prompts are cut with split_for_speech() first, so the first chunk
// plays while the next ones are being synthesised.

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace voxgate::bot {

class SpeechSynthesizer {
 public:
  SpeechSynthesizer() = default;
  SpeechSynthesizer(const SpeechSynthesizer&) = delete;
  SpeechSynthesizer& operator=(const SpeechSynthesizer&) = delete;
  virtual ~SpeechSynthesizer() = default;

  // The rate of the PCM synthesize() returns.
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;

  // Speaks one chunk of text: 16-bit mono PCM at sample_rate(), empty for a
  // text with nothing to say. Takes milliseconds per sentence, so it runs on
  // a worker thread, never on a media loop; each implementation says whether
  // it may be called from several threads.
  virtual Result<std::vector<std::int16_t>> synthesize(std::string_view text) = 0;
};

// Cuts `text` into chunks to synthesise one after the other: one per
// sentence (. ! ?), and a sentence longer than `max_chars` again at its last
// clause mark (; : ,) or word break that keeps the piece within `max_chars`.
// Never cuts inside a word: a single word longer than `max_chars` is a chunk
// of its own. Chunks are views into `text`, without surrounding whitespace;
// a text of only whitespace gives none.
std::vector<std::string_view> split_for_speech(std::string_view text, std::size_t max_chars);

}  // namespace voxgate::bot
