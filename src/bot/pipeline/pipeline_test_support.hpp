#pragma once
// Shared by the pipeline's unit tests only (the *_test.cpp files beside it):
// providers that answer as the test says, and recorders of what a stage or
// the conversation puts out.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "bot/agent/agent.hpp"
#include "bot/pipeline/conversation_output.hpp"
#include "bot/pipeline/stage.hpp"
#include "bot/stt/speech_recognizer.hpp"
#include "bot/tts/speech_synthesizer.hpp"
#include "bot/voice/voice_activity_detector.hpp"

namespace voxgate::bot::test {

constexpr int kRate = 8000;
constexpr std::size_t kFrame = 160;

// Speech is any frame whose first sample is not 0.
class FakeVad final : public VoiceActivityDetector {
 public:
  [[nodiscard]] int sample_rate() const noexcept override { return kRate; }
  Result<bool> process(std::span<std::int16_t> frame) override { return frame[0] != 0; }
};

// Recognises whatever the test says the caller said; counts what it was fed.
class FakeStt final : public SpeechRecognizer {
 public:
  explicit FakeStt(std::string* says) : says_(says) {}
  [[nodiscard]] int sample_rate() const noexcept override { return kRate; }
  Result<void> expect(std::span<const std::string> phrases) override {
    expected.assign(phrases.begin(), phrases.end());
    return {};
  }
  Result<void> start_utterance() override {
    fed = 0;
    return {};
  }
  Result<std::optional<Transcript>> feed(std::span<const std::int16_t> pcm) override {
    fed += pcm.size();
    if (interim.empty()) return std::optional<Transcript>{};
    return std::optional<Transcript>{Transcript{interim, 0.5F, false}};
  }
  Result<Transcript> finish_utterance() override { return Transcript{*says_, 1.0F, true}; }
  void cancel_utterance() noexcept override {}

  std::vector<std::string> expected;
  std::size_t fed = 0;
  std::string interim;  // what feed() hypothesises; "" for nothing

 private:
  std::string* says_;
};

// 10 ms of audio per character.
class FakeTts final : public SpeechSynthesizer {
 public:
  [[nodiscard]] int sample_rate() const noexcept override { return kRate; }
  Result<std::vector<std::int16_t>> synthesize(std::string_view text) override {
    return std::vector<std::int16_t>(text.size() * 80, 1000);
  }
};

// An agent that fails every turn (the fallback prompt's test).
class FailingAgent final : public Agent {
 public:
  void start(AgentReplySink& sink) override { sink.on_done(AgentDirective{}); }
  void respond(const AgentTurn& /*turn*/, AgentReplySink& sink) override {
    sink.on_done(make_error(Errc::Timeout, "agent timed out"));
  }
  void reprompt(AgentReplySink& sink) override { sink.on_done(AgentDirective{}); }
};

// An agent that drafts (preemptive generation): the test answers its drafts
// through draft_sink; turns are answered at once.
class DraftingAgent final : public Agent {
 public:
  void start(AgentReplySink& sink) override { sink.on_done(AgentDirective{}); }
  void respond(const AgentTurn& turn, AgentReplySink& sink) override {
    responded.push_back(turn.transcript);
    sink.on_text("Answer to " + turn.transcript + ".");
    sink.on_done(AgentDirective{});
  }
  void reprompt(AgentReplySink& sink) override { sink.on_done(AgentDirective{}); }
  [[nodiscard]] bool can_draft() const noexcept override { return true; }
  void draft(const AgentTurn& turn, AgentReplySink& sink) override {
    drafts.push_back(turn.transcript);
    draft_sink = &sink;
  }
  void commit_draft() override { ++commits; }
  void cancel_draft() override { ++cancels; }

  std::vector<std::string> responded;
  std::vector<std::string> drafts;
  AgentReplySink* draft_sink = nullptr;
  int commits = 0;
  int cancels = 0;
};

struct Played {
  std::uint64_t chunk;
  std::string text;
  std::size_t samples;
  bool starts_reply;
};

struct Recorder final : ConversationOutput {
  void play(std::uint64_t chunk, std::string text, std::vector<std::int16_t> pcm, bool starts_reply) override {
    played.push_back(Played{chunk, std::move(text), pcm.size(), starts_reply});
  }
  void clear() override { ++clears; }
  void hangup() override { ++hangups; }
  void transfer(std::string target) override { transfers.push_back(std::move(target)); }
  void event(std::string_view type, std::string fields_json) override {
    events.emplace_back(std::string(type), boost::json::parse(fields_json).as_object());
  }
  // The last event of `type`.
  [[nodiscard]] const boost::json::object* last(std::string_view type) const {
    const auto it = std::find_if(events.rbegin(), events.rend(), [&](const auto& e) { return e.first == type; });
    return it == events.rend() ? nullptr : &it->second;
  }
  // "handle=outcome" of every bot.said, in order.
  [[nodiscard]] std::vector<std::string> said() const {
    std::vector<std::string> out;
    for (const auto& [type, fields] : events) {
      if (type == "bot.said") {
        out.push_back(std::string(fields.at("handle").as_string()) + "=" +
                      std::string(fields.at("outcome").as_string()));
      }
    }
    return out;
  }
  std::vector<Played> played;
  int clears = 0;
  int hangups = 0;
  std::vector<std::string> transfers;
  std::vector<std::pair<std::string, boost::json::object>> events;
};

// A frame's type, as its struct is named.
inline std::string name_of(const Frame& frame) {
  static const std::array<const char*, std::variant_size_v<Frame>> names{
      "CallerAudio",  "SpeechStarted", "SpeechStopped", "InterimTranscript", "FinalTranscript",
      "TurnTaken",    "ReplyStarted",  "AgentText",     "AgentDone",         "SpeechAudio",
      "Start",        "Dtmf",          "Timer",         "SayText",           "CancelSay",
      "Interrupt",    "Hangup",        "End",           "ResetTurn",         "ExpectPhrases",
      "ChunkStarted", "ChunkPlayed",   "Heard"};
  return names.at(frame.index());
}

// What a stage under test pushed, in order.
struct PushedFrames final : FrameSink {
  void push(Frame frame, Direction direction) override { frames.emplace_back(std::move(frame), direction); }
  // The frames of type T pushed so far, in order.
  template <typename T>
  [[nodiscard]] std::vector<T> of() const {
    std::vector<T> out;
    for (const auto& [frame, direction] : frames) {
      if (const auto* f = std::get_if<T>(&frame)) out.push_back(*f);
    }
    return out;
  }
  // Each frame's type name, "^" after it when it went upstream.
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [frame, direction] : frames) {
      out.push_back(name_of(frame) + (direction == Direction::Upstream ? "^" : ""));
    }
    return out;
  }
  void clear() { frames.clear(); }
  std::vector<std::pair<Frame, Direction>> frames;
};

}  // namespace voxgate::bot::test
