#pragma once
// Speech recognition by CMU PocketSphinx 5prealpha (Debian's
// libpocketsphinx-dev, with the US English model of pocketsphinx-en-us), in
// grammar mode: each utterance is decoded against a JSGF grammar of the
// expected phrases, optionally framed by common carrier words ("I want to
// talk to the operator please"). Free dictation with the 27 MB language
// model is far too inaccurate on telephone audio to be a default, and
// keyword spotting false-alarmed on noisy speech where the grammar did not
// (docs/adr/0005-speech-providers.md has the measurements).
//
// The model is 16 kHz; calls are mostly 8 kHz. The recogniser takes the
// call's rate (sample_rate() is what it was created with) and upsamples 8 kHz
// internally with media::Resampler, so the bot feeds the audio it has.
//
// Thread safety: PocketsphinxModel is immutable once loaded and is shared by
// every recogniser of the process. A PocketsphinxRecognizer (one
// pocketsphinx decoder, about 8 MB; the acoustic model files are mapped,
// not copied) serves one call and is used from one thread at a time;
// different recognisers may run on different threads at once.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/stt/speech_recognizer.hpp"
#include "media/codec/resampler.hpp"

struct ps_decoder_s;

namespace voxgate::bot {

// Where pocketsphinx-en-us installs the model.
struct PocketsphinxPaths {
  std::string acoustic_model = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::string dictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
};

// What every recogniser shares: where the acoustic model is, and the
// pronunciation dictionary (cmudict, 135,000 words, about 8 MB in memory),
// parsed once so that each decoder holds only the few words it expects.
class PocketsphinxModel {
 public:
  using Paths = PocketsphinxPaths;

  // Fails with NotFound when the model or dictionary is missing (install
  // pocketsphinx-en-us). Also silences pocketsphinx's logging, which would
  // otherwise write hundreds of lines to stderr per decoder.
  static Result<std::shared_ptr<const PocketsphinxModel>> load(const Paths& paths = {});

  [[nodiscard]] const std::string& acoustic_model() const noexcept { return paths_.acoustic_model; }

  // The pronunciations (phone strings such as "S AH P AO R T") of a
  // lower-case word, the first one first; empty when the word is unknown.
  [[nodiscard]] std::vector<std::string_view> pronunciations(std::string_view word) const;

  PocketsphinxModel(Paths paths, std::string dictionary_text) noexcept;

 private:
  struct Entry {
    std::string_view word;  // without the "(2)" of an alternative
    std::string_view phones;
    bool operator<(const Entry& other) const noexcept { return word < other.word; }
  };

  Paths paths_;
  std::string dictionary_text_;  // entries_ point into it
  std::vector<Entry> entries_;   // sorted by word; alternatives in file order
};

struct PocketsphinxOptions {
  int sample_rate = 8000;  // of feed()'s audio: 8000 (upsampled) or 16000

  // Words the caller may say around an expected phrase ("I want to talk to
  // the operator please"). They are decoded but never reported. Each one
  // costs CPU on every frame: 22 words took 3.9 % of a core, these 10 take
  // about 2 %, none 1.4 % (BM_PocketsphinxFeed20ms). Empty: the utterance
  // must be exactly one phrase.
  std::vector<std::string> carrier_words = {"i", "want", "need", "to", "talk", "the", "a", "please", "my", "with"};

  // Decoder tuning, for CPU: a cap on the HMMs active in a frame bounds a
  // noisy frame's cost, and scoring the top 2 Gaussians per mixture (the
  // default is 4) saves a quarter of the CPU without a recognition error in
  // the tests. The grammar search needs no second pass or lattice
  // (-fwdflat no, -bestpath no), so finish_utterance() takes about 1 ms.
  int max_hmms_per_frame = 2000;
  int top_gaussians = 2;
};

class PocketsphinxRecognizer final : public SpeechRecognizer {
 public:
  static Result<std::unique_ptr<PocketsphinxRecognizer>> create(std::shared_ptr<const PocketsphinxModel> model,
                                                                const PocketsphinxOptions& options = {});
  ~PocketsphinxRecognizer() override;

  [[nodiscard]] int sample_rate() const noexcept override { return options_.sample_rate; }

  // Phrases are matched case-insensitively, word by word; punctuation at the
  // edges of words is ignored. Every word must be in the dictionary.
  Result<void> expect(std::span<const std::string> phrases) override;
  Result<void> start_utterance() override;

  // The interim and final transcripts' text is the expected phrase the
  // hypothesis holds, spelt as given to expect(), or empty. PocketSphinx
  // gives no usable posterior for a small grammar (ps_get_prob is always
  // 1), so confidence is 1 when a phrase was recognised and 0 otherwise:
  // the grammar always picks the closest phrase, and telling speech from
  // noise is the voice activity detector's job upstream.
  Result<std::optional<Transcript>> feed(std::span<const std::int16_t> pcm) override;
  Result<Transcript> finish_utterance() override;
  void cancel_utterance() noexcept override;

 private:
  struct Phrase {
    std::string spelling;            // as given to expect()
    std::vector<std::string> words;  // normalised
  };
  struct FreeDecoder {
    void operator()(ps_decoder_s* decoder) const noexcept;
  };

  PocketsphinxRecognizer(std::shared_ptr<const PocketsphinxModel> model,
                         std::unique_ptr<ps_decoder_s, FreeDecoder> decoder, PocketsphinxOptions options) noexcept;

  Result<void> add_words(const std::vector<std::string>& words, std::string_view phrase);
  [[nodiscard]] std::string phrase_in(const char* hypothesis) const;

  std::shared_ptr<const PocketsphinxModel> model_;
  std::unique_ptr<ps_decoder_s, FreeDecoder> decoder_;
  PocketsphinxOptions options_;
  std::vector<std::string> known_words_;  // added to the decoder, sorted
  std::vector<std::string> carriers_;     // normalised carrier words
  std::vector<Phrase> phrases_;
  std::optional<media::Resampler> upsampler_;  // during an utterance at 8 kHz
  std::vector<std::int16_t> upsampled_;
  bool in_utterance_ = false;
  std::string last_interim_;
};

}  // namespace voxgate::bot
