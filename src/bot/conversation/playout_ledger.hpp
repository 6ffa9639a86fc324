#pragma once
// What the bot queued for the caller to hear, and how much of it has left
// on the wire: the playout accounting behind barge-in ("the caller heard
// 1.84 s of the prompt, up to 'your account balance'") and behind marks
// (a streaming bot's "tell me when this was played", Twilio's mark event).
//
// The media tick reports each frame it sent (played()); a barge-in or a
// bot's clear flushes the rest (flush()). Audio is counted to the sample,
// so to the frame. Text comes with its chunk and no word timings (flite and
// the streaming profiles give none): the words heard of a chunk cut short
// are its first words in proportion to the samples played, which is what
// the listener heard to within a word.
//
// Not thread-safe: owned by the call's media side.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace voxgate::bot {

struct HeardReport {
  std::size_t samples_queued = 0;  // of the chunks flushed or played since the last report
  std::size_t samples_played = 0;
  std::string text_heard;                  // whole chunks played, then the heard words of a chunk cut short
  std::string text_unheard;                // the rest, as it was queued
  std::vector<std::string> marks_dropped;  // marks not reached: never played
};

class PlayoutLedger {
 public:
  // A chunk of audio with the text it says ("" for audio without text).
  void queue(std::string text, std::size_t samples);
  // A named point after everything queued so far.
  void queue_mark(std::string name);

  // The tick sent `samples` of the queue; returns the marks now reached, in
  // order. Samples beyond the queue are ignored (the queue ran dry).
  std::vector<std::string> played(std::size_t samples);

  // Drops everything not yet played and reports what was heard since the
  // last report (or since the start).
  HeardReport flush();

  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  [[nodiscard]] std::size_t queued_samples() const noexcept { return queued_samples_; }

 private:
  struct Entry {
    std::string text;
    std::size_t samples = 0;
    std::size_t played = 0;
    bool mark = false;  // `text` is the mark's name
  };

  std::deque<Entry> entries_;
  std::size_t queued_samples_ = 0;  // not yet played
  // Since the last flush: what finished playing.
  std::size_t finished_samples_ = 0;
  std::string finished_text_;
};

// The first words of `text` in proportion `part` of `whole` (rounded down):
// what was heard of a chunk cut short.
std::string heard_words(const std::string& text, std::size_t part, std::size_t whole);

}  // namespace voxgate::bot
