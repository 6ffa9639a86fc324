#include "bot/tts/espeak_synthesizer.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "bot/tts/voice_pcm.hpp"
#include "media/codec/resampler.hpp"

namespace voxgate::bot {

namespace {

// espeak-ng's state is process-wide (see the header); so is what mirrors
// it here, all guarded by one lock.
struct EspeakEngine {
  std::mutex lock;
  std::optional<std::string> data_path;       // set once espeak-ng is initialised
  int rate = 0;                               // its output rate
  std::string voice;                          // the voice set last; empty: unknown
  std::vector<std::int16_t>* sink = nullptr;  // where the callback appends, during synthesis only
};

EspeakEngine& espeak_engine() {
  static EspeakEngine engine;
  return engine;
}

// espeak-ng's synthesis callback: called (synchronously, inside
// espeak_ng_Synthesize, under the lock) with each block of samples; a null
// block ends the text. Returning 0 continues.
int collect_espeak_samples(short* wav, int samples, espeak_EVENT* /*events*/) {
  auto& engine = espeak_engine();
  if (wav != nullptr && samples > 0 && engine.sink != nullptr) {
    engine.sink->insert(engine.sink->end(), wav, wav + samples);
  }
  return 0;
}

std::string espeak_message(espeak_ng_STATUS status) {
  std::array<char, 512> text{};
  espeak_ng_GetStatusCodeMessage(status, text.data(), text.size());
  return text.data();
}

// Initialises espeak-ng on first use; later calls check the data path is
// the same. Called with the lock held.
Result<void> initialise_espeak(EspeakEngine& engine, const std::string& data_path) {
  if (engine.data_path) {
    if (*engine.data_path != data_path) {
      return make_error(Errc::InvalidArgument,
                        "espeak-ng is initialised with the data in {}, not {}: one data path per process",
                        *engine.data_path, data_path);
    }
    return {};
  }
  // espeak-ng falls back to $ESPEAK_DATA_PATH, ~/espeak-ng-data and its
  // compiled-in path when the one it is given is unusable, so check first:
  // a missing data directory must fail here, not speak from somewhere else.
  std::error_code error;
  if (!std::filesystem::is_regular_file(std::filesystem::path(data_path) / "phontab", error)) {
    return make_error(Errc::NotFound, "espeak-ng data not found in {} (no phontab): install espeak-ng-data", data_path);
  }
  espeak_ng_InitializePath(data_path.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  if (const espeak_ng_STATUS status = espeak_ng_Initialize(&context); status != ENS_OK) {
    espeak_ng_ClearErrorContext(&context);
    return make_error(Errc::Internal, "espeak-ng could not load its data from {}: {}", data_path,
                      espeak_message(status));
  }
  // Synchronous: espeak_ng_Synthesize returns once every sample went to
  // the callback, on the caller's thread; no audio device, no thread of its own.
  if (const espeak_ng_STATUS status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
      status != ENS_OK) {
    return make_error(Errc::Internal, "espeak-ng output: {}", espeak_message(status));
  }
  espeak_SetSynthCallback(collect_espeak_samples);
  engine.rate = espeak_ng_GetSampleRate();
  engine.data_path = data_path;
  return {};
}

// The identifier ("gmw/en") of the voice whose languages include `language`
// exactly ("en-gb"), or empty. espeak_ng_SetVoiceByName knows voices by name
// and file name only, and British English's file is "en", so without this
// the language codes people know would not all work. Called with the lock held.
std::string espeak_voice_for_language(std::string_view language) {
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (; voices != nullptr && *voices != nullptr; ++voices) {
    // languages: a priority byte then a NUL-terminated name, repeated; an
    // empty name ends the list.
    for (const char* entry = (*voices)->languages; entry != nullptr && *entry != '\0';) {
      const std::string_view name(entry + 1);
      if (std::equal(name.begin(), name.end(), language.begin(), language.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        return (*voices)->identifier;
      }
      entry += 1 + name.size() + 1;
    }
  }
  return {};
}

// Makes `voice` (a voice name, file name or language) the current voice
// unless it is. Called with the lock held.
Result<void> use_espeak_voice(EspeakEngine& engine, const std::string& voice) {
  if (engine.voice == voice) return {};
  engine.voice.clear();  // a failed attempt leaves espeak-ng's voice unknown
  espeak_ng_STATUS status = espeak_ng_SetVoiceByName(voice.c_str());
  if (status == ENS_VOICE_NOT_FOUND) {
    if (const std::string identifier = espeak_voice_for_language(voice); !identifier.empty()) {
      status = espeak_ng_SetVoiceByName(identifier.c_str());
    }
  }
  if (status != ENS_OK) {
    return make_error(status == ENS_VOICE_NOT_FOUND ? Errc::NotFound : Errc::Internal,
                      "espeak-ng has no voice '{}' ({}; `espeak-ng --voices` lists them)", voice,
                      espeak_message(status));
  }
  engine.voice = voice;
  return {};
}

}  // namespace

std::string EspeakOptions::default_data_path() {
  return VOXGATE_ESPEAK_NG_DATA;
}

Result<std::unique_ptr<EspeakSynthesizer>> EspeakSynthesizer::create(const EspeakOptions& options) {
  if (options.words_per_minute < espeakRATE_MINIMUM || options.words_per_minute > espeakRATE_MAXIMUM) {
    return make_error(Errc::InvalidArgument, "espeak-ng speaks at {} to {} words per minute, not {}",
                      espeakRATE_MINIMUM, espeakRATE_MAXIMUM, options.words_per_minute);
  }
  if (options.pitch < 0 || options.pitch > 100) {
    return make_error(Errc::InvalidArgument, "espeak-ng's pitch is 0 to 100, not {}", options.pitch);
  }
  if (options.trailing_silence.count() < 0) {
    return make_error(Errc::InvalidArgument, "negative trailing silence");
  }
  int voice_rate = 0;
  {
    auto& engine = espeak_engine();
    const std::scoped_lock guard(engine.lock);
    if (auto ready = initialise_espeak(engine, options.data_path); !ready) return tl::unexpected(ready.error());
    // An unknown voice fails now, not on the first prompt.
    if (auto voice = use_espeak_voice(engine, options.voice); !voice) return tl::unexpected(voice.error());
    voice_rate = engine.rate;
  }
  const int output_rate = options.output_rate == 0 ? voice_rate : options.output_rate;
  if (output_rate != voice_rate) {
    // Refuse now rather than on the first prompt.
    if (auto resampler = media::Resampler::create(voice_rate, output_rate); !resampler) {
      return tl::unexpected(resampler.error());
    }
  }
  return std::unique_ptr<EspeakSynthesizer>(new EspeakSynthesizer(voice_rate, output_rate, options));
}

Result<std::vector<std::int16_t>> EspeakSynthesizer::synthesize(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); })) {
    return std::vector<std::int16_t>{};
  }
  const std::string terminated(text);  // espeak-ng reads up to the NUL
  std::vector<std::int16_t> pcm;
  {
    auto& engine = espeak_engine();
    const std::scoped_lock guard(engine.lock);
    // Another synthesizer may have spoken with other settings since.
    if (auto voice = use_espeak_voice(engine, options_.voice); !voice) return tl::unexpected(voice.error());
    espeak_ng_SetParameter(espeakRATE, options_.words_per_minute, 0);
    espeak_ng_SetParameter(espeakPITCH, options_.pitch, 0);
    engine.sink = &pcm;
    const espeak_ng_STATUS status = espeak_ng_Synthesize(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0,
                                                         espeakCHARS_UTF8, nullptr, nullptr);
    engine.sink = nullptr;
    if (status != ENS_OK) {
      return make_error(Errc::Internal, "espeak-ng could not synthesise \"{}\": {}", text, espeak_message(status));
    }
  }

  return finish_voice_pcm(std::move(pcm), voice_rate_, output_rate_, options_.trailing_silence);
}

}  // namespace voxgate::bot
