#pragma once
// The text-to-speech providers the configuration may name ([bot] tts), and
// the one place that builds them: adding a provider is its class, its
// options in TtsSettings and one line in the table of
// synthesizer_factory.cpp.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bot/tts/espeak_synthesizer.hpp"
#include "bot/tts/flite_synthesizer.hpp"

namespace voxgate::bot {

// Which provider speaks, and every provider's options (only the chosen
// one's are used).
struct TtsSettings {
  std::string provider = "flite";  // a name of synthesizer_providers()
  FliteOptions flite;
  EspeakOptions espeak;
};

struct SynthesizerProvider {
  std::string_view name;
  // Builds the provider from its options in `settings`, speaking at
  // `output_rate` (0: the voice's own).
  Result<std::unique_ptr<SpeechSynthesizer>> (*create)(const TtsSettings& settings, int output_rate);
};

// Every provider, the default (flite) first.
std::span<const SynthesizerProvider> synthesizer_providers() noexcept;

// The providers' names as a list for messages: "flite, espeak-ng".
std::string synthesizer_names();

[[nodiscard]] bool is_synthesizer_provider(std::string_view name) noexcept;

// The provider `settings.provider` names; InvalidArgument listing the
// names when there is none, else whatever the provider's create() says.
Result<std::unique_ptr<SpeechSynthesizer>> create_synthesizer(const TtsSettings& settings, int output_rate);

}  // namespace voxgate::bot
