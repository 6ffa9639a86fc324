#include <algorithm>
#include <array>
#include <cctype>

#include "bot/tts/speech_synthesizer.hpp"

namespace voxgate::bot {

namespace {

bool space(char c) noexcept {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Characters that close a sentence or clause without being its end: the
// quote or bracket after "yes." belongs to that sentence.
bool closer(char c) noexcept {
  return c == '"' || c == '\'' || c == ')' || c == ']';
}

// Titles whose period ends no sentence ("Dr. Smith").
bool abbreviation(std::string_view word) noexcept {
  static constexpr std::array<std::string_view, 9> kTitles{"Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Mt", "vs", "No"};
  return std::find(kTitles.begin(), kTitles.end(), word) != kTitles.end();
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// Where the sentence starting at `from` ends: just past its . ! ? (and any
// closing quote or bracket) when a space or the end of text follows, so that
// "3.5" and "example.com" stay whole.
std::size_t sentence_end(std::string_view text, std::size_t from) noexcept {
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t end = i + 1;
    while (end < text.size() && (text[end] == '.' || text[end] == '!' || text[end] == '?' || closer(text[end]))) {
      ++end;
    }
    if (end < text.size() && !space(text[end])) {
      i = end - 1;
      continue;
    }
    if (c == '.') {
      std::size_t word = i;
      while (word > from && !space(text[word - 1])) --word;
      if (abbreviation(text.substr(word, i - word))) continue;
    }
    return end;
  }
  return text.size();
}

// Cuts one sentence longer than `max_chars` into pieces that fit.
void split_sentence(std::string_view sentence, std::size_t max_chars, std::vector<std::string_view>& chunks) {
  while (!sentence.empty()) {
    if (sentence.size() <= max_chars) {
      chunks.push_back(sentence);
      return;
    }
    // The last clause mark followed by a space within the limit, else the
    // last word break, else (one word longer than the limit) the first
    // word break after it.
    std::size_t clause = 0;
    std::size_t word = 0;
    for (std::size_t i = 1; i <= max_chars && i < sentence.size(); ++i) {
      if (!space(sentence[i])) continue;
      word = i;
      std::size_t mark = i;
      while (mark > 0 && closer(sentence[mark - 1])) --mark;
      if (mark > 0 && (sentence[mark - 1] == ',' || sentence[mark - 1] == ';' || sentence[mark - 1] == ':')) {
        clause = i;
      }
    }
    // A clause mark near the start would leave a stub; prefer filling the chunk.
    std::size_t cut = clause >= max_chars / 3 ? clause : word;
    if (cut == 0) {
      cut = static_cast<std::size_t>(std::find_if(sentence.begin(), sentence.end(), space) - sentence.begin());
    }
    chunks.push_back(trim(sentence.substr(0, cut)));
    sentence = trim(sentence.substr(cut));
  }
}

}  // namespace

std::vector<std::string_view> split_for_speech(std::string_view text, std::size_t max_chars) {
  max_chars = std::max<std::size_t>(max_chars, 1);
  std::vector<std::string_view> chunks;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = sentence_end(text, at);
    if (const auto sentence = trim(text.substr(at, end - at)); !sentence.empty()) {
      split_sentence(sentence, max_chars, chunks);
    }
    at = end;
  }
  return chunks;
}

}  // namespace voxgate::bot
