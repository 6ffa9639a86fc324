#include "bot/stt/pocketsphinx_recognizer.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>

namespace voxgate::bot {

namespace {

// The JSGF text as the decoder's "phrases" search. What ps_set_jsgf_string()
// does, but freeing the parsed grammar: 5prealpha's leaks it (about 11 KB
// per expect(), which LeakSanitizer reports).
bool set_grammar(ps_decoder_t* decoder, const std::string& text) {
  jsgf_t* jsgf = jsgf_parse_string(text.c_str(), nullptr);
  if (jsgf == nullptr) return false;
  jsgf_rule_t* rule = jsgf_get_public_rule(jsgf);
  bool set = false;
  if (rule != nullptr) {
    const auto language_weight = static_cast<float>(cmd_ln_float_r(ps_get_config(decoder), "-lw"));
    fsg_model_t* fsg = jsgf_build_fsg(jsgf, rule, ps_get_logmath(decoder), language_weight);
    set = fsg != nullptr && ps_set_fsg(decoder, "phrases", fsg) == 0;
    if (fsg != nullptr) fsg_model_free(fsg);  // the search keeps its own reference
  }
  jsgf_grammar_free(jsgf);
  return set;
}

constexpr int kModelRate = 16000;

// The cepstral mean the decoder starts from. The model's own (feat.params)
// is that of wideband speech; telephone audio upsampled to 16 kHz has no
// energy above 4 kHz, which moves the mean far away, and the decoder only
// adapts to it during the first utterance, which then fails (measured: the
// first "sales" of a call decoded as nothing). These values are the mean
// the decoder converged to on 40 utterances of four flite voices (slt,
// rms, awb, kal16; not kal, the test voice) passed through 8 kHz.
constexpr std::array<mfcc_t, 13> kNarrowbandCmnInit{42.90F,  33.17F, -29.68F, 47.64F, -11.68F, -7.00F, 22.49F,
                                                    -25.80F, 9.25F,  -2.30F,  -3.98F, 16.43F,  -10.28F};

// pocketsphinx logs through one process-wide FILE*; switching it off once
// is enough, and doing it again while a decoder logs would race.
void silence_pocketsphinx() {
  static std::once_flag once;
  std::call_once(once, [] { err_set_logfp(nullptr); });
}

// "Support," -> "support"; keeps inner apostrophes ("i'd").
std::string normalise_word(std::string_view word) {
  const auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\''; };
  while (!word.empty() && !is_word_char(word.front())) word.remove_prefix(1);
  while (!word.empty() && !is_word_char(word.back())) word.remove_suffix(1);
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return lower;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) {
    if (auto normal = normalise_word(word); !normal.empty()) words.push_back(std::move(normal));
  }
  return words;
}

std::string join(const std::vector<std::string>& words, std::string_view separator = " ") {
  std::string out;
  for (const auto& word : words) {
    out += out.empty() ? "" : separator;
    out += word;
  }
  return out;
}

// Whether `needle` occurs as consecutive words of `haystack`.
bool contains(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  return !needle.empty() &&
         std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace

PocketsphinxModel::PocketsphinxModel(Paths paths, std::string dictionary_text) noexcept
    : paths_(std::move(paths)), dictionary_text_(std::move(dictionary_text)) {
  // Lines are "word PH ON ES" or "word(2) PH ON ES" for an alternative.
  std::string_view text = dictionary_text_;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos || space == 0) continue;
    std::string_view word = line.substr(0, space);
    if (const auto paren = word.find('('); paren != std::string_view::npos && word.back() == ')') {
      word = word.substr(0, paren);
    }
    const auto phones_at = line.find_first_not_of(" \t", space);
    if (phones_at == std::string_view::npos) continue;
    entries_.push_back({word, line.substr(phones_at)});
  }
  std::stable_sort(entries_.begin(), entries_.end());
}

Result<std::shared_ptr<const PocketsphinxModel>> PocketsphinxModel::load(const Paths& paths) {
  silence_pocketsphinx();
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(paths.acoustic_model) / "mdef", error)) {
    return make_error(Errc::NotFound, "no pocketsphinx acoustic model in {} (install pocketsphinx-en-us)",
                      paths.acoustic_model);
  }
  std::ifstream file(paths.dictionary, std::ios::binary);
  if (!file) {
    return make_error(Errc::NotFound, "cannot read the pronunciation dictionary {} (install pocketsphinx-en-us)",
                      paths.dictionary);
  }
  std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  auto model = std::make_shared<const PocketsphinxModel>(paths, std::move(text));
  if (model->entries_.empty()) {
    return make_error(Errc::InvalidArgument, "the pronunciation dictionary {} has no entries", paths.dictionary);
  }
  return model;
}

std::vector<std::string_view> PocketsphinxModel::pronunciations(std::string_view word) const {
  const auto [first, last] = std::equal_range(entries_.begin(), entries_.end(), Entry{word, {}});
  std::vector<std::string_view> phones;
  for (auto it = first; it != last; ++it) phones.push_back(it->phones);
  return phones;
}

void PocketsphinxRecognizer::FreeDecoder::operator()(ps_decoder_s* decoder) const noexcept {
  ps_free(decoder);
}

PocketsphinxRecognizer::PocketsphinxRecognizer(std::shared_ptr<const PocketsphinxModel> model,
                                               std::unique_ptr<ps_decoder_s, FreeDecoder> decoder,
                                               PocketsphinxOptions options) noexcept
    : model_(std::move(model)), decoder_(std::move(decoder)), options_(std::move(options)) {}

PocketsphinxRecognizer::~PocketsphinxRecognizer() {
  cancel_utterance();
}

Result<std::unique_ptr<PocketsphinxRecognizer>> PocketsphinxRecognizer::create(
    std::shared_ptr<const PocketsphinxModel> model, const PocketsphinxOptions& options) {
  if (!model) {
    return make_error(Errc::InvalidArgument, "a recogniser needs a loaded model");
  }
  if (options.sample_rate != 8000 && options.sample_rate != kModelRate) {
    return make_error(Errc::InvalidArgument, "the recogniser takes 8000 or 16000 Hz audio, not {}",
                      options.sample_rate);
  }
  const std::string max_hmms = std::to_string(options.max_hmms_per_frame);
  const std::string top_gaussians = std::to_string(options.top_gaussians);
  // The dictionary starts empty (/dev/null): expect() adds only the words it
  // needs from the shared one, which saves about 20 MB per decoder. The
  // model files are mapped (-mmap), so decoders share their pages.
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE,                                            //
                                 "-hmm", model->acoustic_model().c_str(), "-dict", "/dev/null",       //
                                 "-mmap", "yes",                                                      //
                                 "-bestpath", "no", "-fwdflat", "no", "-maxhmmpf", max_hmms.c_str(),  //
                                 "-topn", top_gaussians.c_str(), nullptr);

  if (config == nullptr) {
    return make_error(Errc::Internal, "pocketsphinx refuses its configuration");
  }
  std::unique_ptr<ps_decoder_s, FreeDecoder> decoder(ps_init(config));
  cmd_ln_free_r(config);  // the decoder holds its own reference
  if (!decoder) {
    return make_error(Errc::Internal, "pocketsphinx could not load the model in {}", model->acoustic_model());
  }
  if (options.sample_rate != kModelRate) {
    // Set after ps_init: the model's feat.params would override a -cmninit.
    feat_t* features = ps_get_feat(decoder.get());
    if (features->cmn_struct == nullptr ||
        features->cmn_struct->veclen != static_cast<int32>(kNarrowbandCmnInit.size())) {
      return make_error(Errc::Unsupported, "the model in {} does not use 13 cepstra with CMN", model->acoustic_model());
    }
    cmn_live_set(features->cmn_struct, kNarrowbandCmnInit.data());
  }
  std::unique_ptr<PocketsphinxRecognizer> recognizer(
      new PocketsphinxRecognizer(std::move(model), std::move(decoder), options));
  for (const auto& carrier : options.carrier_words) {
    auto word = normalise_word(carrier);
    if (word.empty()) continue;
    if (auto added = recognizer->add_words({word}, carrier); !added) {
      return tl::unexpected(added.error());
    }
    recognizer->carriers_.push_back(std::move(word));
  }
  return recognizer;
}

Result<void> PocketsphinxRecognizer::add_words(const std::vector<std::string>& words, std::string_view phrase) {
  // Check them all first, so that a refused phrase leaves nothing behind.
  std::vector<std::pair<const std::string*, std::vector<std::string_view>>> missing;
  for (const auto& word : words) {
    if (std::binary_search(known_words_.begin(), known_words_.end(), word)) continue;
    auto phones = model_->pronunciations(word);
    if (phones.empty()) {
      return make_error(Errc::InvalidArgument, R"("{}" (in "{}") is not in the pronunciation dictionary)", word,
                        phrase);
    }
    missing.emplace_back(&word, std::move(phones));
  }
  for (const auto& [word, phones] : missing) {
    if (std::binary_search(known_words_.begin(), known_words_.end(), *word)) continue;  // twice in one phrase
    for (std::size_t i = 0; i < phones.size(); ++i) {
      const std::string name = i == 0 ? *word : fmt::format("{}({})", *word, i + 1);
      const std::string pronunciation(phones[i]);
      if (ps_add_word(decoder_.get(), name.c_str(), pronunciation.c_str(), FALSE) < 0) {
        return make_error(Errc::Internal, "pocketsphinx refuses the word {} /{}/", name, pronunciation);
      }
    }
    known_words_.insert(std::upper_bound(known_words_.begin(), known_words_.end(), *word), *word);
  }
  return {};
}

Result<void> PocketsphinxRecognizer::expect(std::span<const std::string> phrases) {
  if (in_utterance_) {
    return make_error(Errc::InvalidState, "the expected phrases cannot change during an utterance");
  }
  if (phrases.empty()) {
    return make_error(Errc::InvalidArgument, "expect() needs at least one phrase");
  }
  std::vector<Phrase> parsed;
  for (const auto& spelling : phrases) {
    auto words = split_words(spelling);
    if (words.empty()) {
      return make_error(Errc::InvalidArgument, "the phrase \"{}\" has no words", spelling);
    }
    if (auto added = add_words(words, spelling); !added) {
      return added;
    }
    parsed.push_back({spelling, std::move(words)});
  }

  std::string grammar = "#JSGF V1.0;\ngrammar voxgate;\n";
  grammar += carriers_.empty() ? "public <utterance> = <phrase>;\n"
                               : "public <utterance> = [<carrier>+] <phrase> [<carrier>+];\n";
  grammar += "<phrase> = ";
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    grammar += i == 0 ? "" : " | ";
    grammar += fmt::format("({})", join(parsed[i].words));
  }
  grammar += ";\n";
  if (!carriers_.empty()) {
    grammar += fmt::format("<carrier> = {};\n", join(carriers_, " | "));
  }
  if (!set_grammar(decoder_.get(), grammar) || ps_set_search(decoder_.get(), "phrases") != 0) {
    return make_error(Errc::Internal, "pocketsphinx refuses the grammar of {} phrases", parsed.size());
  }
  phrases_ = std::move(parsed);
  return {};
}

Result<void> PocketsphinxRecognizer::start_utterance() {
  if (phrases_.empty()) {
    return make_error(Errc::InvalidState, "expect() the phrases before starting an utterance");
  }
  if (in_utterance_) {
    return make_error(Errc::InvalidState, "an utterance is already running");
  }
  if (options_.sample_rate != kModelRate) {
    // A fresh filter per utterance: no audio of the last one leaks in.
    auto upsampler = media::Resampler::create(options_.sample_rate, kModelRate);
    if (!upsampler) {
      return tl::unexpected(upsampler.error());
    }
    upsampler_.emplace(std::move(*upsampler));
  }
  if (ps_start_utt(decoder_.get()) < 0) {
    return make_error(Errc::Internal, "pocketsphinx could not start an utterance");
  }
  in_utterance_ = true;
  last_interim_.clear();
  return {};
}

Result<std::optional<Transcript>> PocketsphinxRecognizer::feed(std::span<const std::int16_t> pcm) {
  if (!in_utterance_) {
    return make_error(Errc::InvalidState, "feed() outside an utterance");
  }
  std::span<const std::int16_t> audio = pcm;
  if (upsampler_) {
    upsampled_.clear();
    upsampler_->process(pcm, upsampled_);
    audio = upsampled_;
  }
  if (ps_process_raw(decoder_.get(), audio.data(), audio.size(), FALSE, FALSE) < 0) {
    return make_error(Errc::Internal, "pocketsphinx failed to decode {} samples", audio.size());
  }
  auto phrase = phrase_in(ps_get_hyp(decoder_.get(), nullptr));
  if (phrase == last_interim_) {
    return std::optional<Transcript>{};
  }
  last_interim_ = phrase;
  const float confidence = phrase.empty() ? 0.0F : 1.0F;
  return std::optional<Transcript>{Transcript{std::move(phrase), confidence, false}};
}

Result<Transcript> PocketsphinxRecognizer::finish_utterance() {
  if (!in_utterance_) {
    return make_error(Errc::InvalidState, "finish_utterance() outside an utterance");
  }
  in_utterance_ = false;
  if (upsampler_) {
    // Push the filter's last few milliseconds through.
    const std::array<std::int16_t, 80> zeros{};
    upsampled_.clear();
    upsampler_->process(std::span(zeros).first(static_cast<std::size_t>(options_.sample_rate / 200)), upsampled_);
    ps_process_raw(decoder_.get(), upsampled_.data(), upsampled_.size(), FALSE, FALSE);
    upsampler_.reset();
  }
  if (ps_end_utt(decoder_.get()) < 0) {
    return make_error(Errc::Internal, "pocketsphinx could not end the utterance");
  }
  auto phrase = phrase_in(ps_get_hyp(decoder_.get(), nullptr));
  const float confidence = phrase.empty() ? 0.0F : 1.0F;
  return Transcript{std::move(phrase), confidence, true};
}

void PocketsphinxRecognizer::cancel_utterance() noexcept {
  if (!in_utterance_) return;
  in_utterance_ = false;
  upsampler_.reset();
  ps_end_utt(decoder_.get());
}

std::string PocketsphinxRecognizer::phrase_in(const char* hypothesis) const {
  if (hypothesis == nullptr) return {};
  const auto words = split_words(hypothesis);
  // The grammar puts one phrase in every hypothesis; when carrier words
  // overlap a phrase, the longest phrase found is the one.
  const Phrase* best = nullptr;
  for (const auto& phrase : phrases_) {
    if (contains(words, phrase.words) && (best == nullptr || phrase.words.size() > best->words.size())) {
      best = &phrase;
    }
  }
  return best == nullptr ? std::string() : best->spelling;
}

}  // namespace voxgate::bot
