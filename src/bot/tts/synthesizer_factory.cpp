#include "bot/tts/synthesizer_factory.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace voxgate::bot {

namespace {

template <class Synthesizer, class Options>
Result<std::unique_ptr<SpeechSynthesizer>> create_with(Options options, int output_rate) {
  options.output_rate = output_rate;
  auto synthesizer = Synthesizer::create(options);
  if (!synthesizer) return tl::unexpected(synthesizer.error());
  return std::unique_ptr<SpeechSynthesizer>(std::move(*synthesizer));
}

constexpr std::array kProviders{
    SynthesizerProvider{"flite",
                        [](const TtsSettings& s, int rate) { return create_with<FliteSynthesizer>(s.flite, rate); }},
    SynthesizerProvider{"espeak-ng",
                        [](const TtsSettings& s, int rate) { return create_with<EspeakSynthesizer>(s.espeak, rate); }},
};

}  // namespace

std::span<const SynthesizerProvider> synthesizer_providers() noexcept {
  return kProviders;
}

std::string synthesizer_names() {
  std::string names;
  for (const auto& provider : kProviders) {
    if (!names.empty()) names += ", ";
    names += provider.name;
  }
  return names;
}

bool is_synthesizer_provider(std::string_view name) noexcept {
  return std::any_of(kProviders.begin(), kProviders.end(), [name](const auto& p) { return p.name == name; });
}

Result<std::unique_ptr<SpeechSynthesizer>> create_synthesizer(const TtsSettings& settings, int output_rate) {
  for (const auto& provider : kProviders) {
    if (provider.name == settings.provider) return provider.create(settings, output_rate);
  }
  return make_error(Errc::InvalidArgument, "no text-to-speech provider '{}' (one of {})", settings.provider,
                    synthesizer_names());
}

}  // namespace voxgate::bot
