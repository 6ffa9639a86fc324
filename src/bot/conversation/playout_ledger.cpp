#include "bot/conversation/playout_ledger.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace voxgate::bot {
namespace {

void append_text(std::string& to, std::string_view text) {
  if (text.empty()) return;
  if (!to.empty()) to.push_back(' ');
  to.append(text);
}

// [begin, end) of each whitespace-separated word.
std::vector<std::pair<std::size_t, std::size_t>> words_of(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> words;
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') ++at;
    const std::size_t begin = at;
    while (at < text.size() && text[at] != ' ') ++at;
    if (at > begin) words.emplace_back(begin, at);
  }
  return words;
}

std::string_view trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(' ') - begin + 1);
}

// Where the heard words of `text` end: past its first words in proportion
// `part` of `whole`, rounded down.
std::size_t heard_end(const std::string& text, std::size_t part, std::size_t whole) {
  if (whole == 0 || part == 0) return 0;
  if (part >= whole) return text.size();
  const auto words = words_of(text);
  const std::size_t heard = words.size() * part / whole;
  return heard == 0 ? 0 : words[heard - 1].second;
}

}  // namespace

std::string heard_words(const std::string& text, std::size_t part, std::size_t whole) {
  return std::string(trimmed(std::string_view(text).substr(0, heard_end(text, part, whole))));
}

void PlayoutLedger::queue(std::string text, std::size_t samples) {
  if (samples == 0 && text.empty()) return;
  queued_samples_ += samples;
  entries_.push_back(Entry{std::move(text), samples, 0, false});
}

void PlayoutLedger::queue_mark(std::string name) {
  entries_.push_back(Entry{std::move(name), 0, 0, true});
}

std::vector<std::string> PlayoutLedger::played(std::size_t samples) {
  std::vector<std::string> reached;
  while (!entries_.empty()) {
    Entry& head = entries_.front();
    if (head.mark) {
      reached.push_back(std::move(head.text));
      entries_.pop_front();
      continue;
    }
    const std::size_t take = std::min(samples, head.samples - head.played);
    head.played += take;
    samples -= take;
    queued_samples_ -= take;
    if (head.played < head.samples) break;
    finished_samples_ += head.samples;
    append_text(finished_text_, head.text);
    entries_.pop_front();
  }
  return reached;
}

HeardReport PlayoutLedger::flush() {
  HeardReport report;
  report.samples_queued = finished_samples_;
  report.samples_played = finished_samples_;
  report.text_heard = std::move(finished_text_);
  for (Entry& entry : entries_) {
    if (entry.mark) {
      report.marks_dropped.push_back(std::move(entry.text));
      continue;
    }
    report.samples_queued += entry.samples;
    report.samples_played += entry.played;
    if (entry.played == 0) {
      append_text(report.text_unheard, entry.text);
      continue;
    }
    const std::string_view text = entry.text;
    const std::size_t end = heard_end(entry.text, entry.played, entry.samples);
    append_text(report.text_heard, trimmed(text.substr(0, end)));
    append_text(report.text_unheard, trimmed(text.substr(end)));
  }
  entries_.clear();
  queued_samples_ = 0;
  finished_samples_ = 0;
  finished_text_.clear();
  return report;
}

}  // namespace voxgate::bot
