#pragma once
// What travels between a conversation's stages (stage.hpp): one typed frame
// per thing that happens, classified once where it enters the chain, so a
// stage tests the frame's type rather than re-reading its payload.
//
// Downstream is from the caller towards the bot's voice: audio, then the
// speech events and transcripts made of it, the turn and the agent's reply,
// then the audio made of that. Upstream is back towards the caller's side:
// the call's playout reports, and what a later stage asks of an earlier
// one (forget the utterance, expect these phrases).
//
// Data frames carry the conversation's content; system frames carry
// control (the call's events, the API's requests, an interrupt). A system
// frame overtakes data that waits: BotInbox takes the call's system inputs
// before any caller audio still queued, and Interrupt flushes the audio
// queued for playout. Inside the chain nothing waits (each push runs the
// next stage at once), so frames leave a stage in the order they came.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/clock.hpp"
#include "bot/agent/agent.hpp"
#include "bot/conversation/playout_ledger.hpp"

namespace voxgate::bot {

enum class Direction : std::uint8_t { Downstream, Upstream };

// --- data -----------------------------------------------------------------------

// The caller's utterance so far, as the endpointer sees it after a frame.
struct SpeechSoFar {
  bool in_speech = false;
  std::chrono::milliseconds duration{0};          // first to last voiced frame
  std::chrono::milliseconds trailing_silence{0};  // unvoiced since the last voiced frame
};

// 20 ms of the caller at the VAD's rate; noise-suppressed and annotated
// with `speech` once it passed VoiceStage.
struct CallerAudio {
  std::vector<std::int16_t> pcm;
  SpeechSoFar speech;
};
struct SpeechStarted {};
struct SpeechStopped {};  // the end of the caller's turn: silence after speech
struct InterimTranscript {
  std::string text;
};
struct FinalTranscript {
  std::string text;
  Clock::TimePoint ended;        // when the endpointer ended the turn
  std::chrono::nanoseconds stt;  // the recogniser's finalisation
};
// A turn was taken (speech or a key): the start of its latency breakdown.
struct TurnTaken {
  std::string input;  // "speech" or "dtmf"
  std::chrono::nanoseconds endpoint{0};
  std::chrono::nanoseconds stt{0};
  Clock::TimePoint ended;
  bool preemptive = false;  // a draft is the reply
};
// The agent was asked for a reply (greeting, turn, reprompt): what follows
// is its text until AgentDone.
struct ReplyStarted {};
struct AgentText {
  std::string text;
};
struct AgentDone {
  AgentAction action = AgentAction::Continue;
  std::string transfer_target;
};
// One chunk of the bot's speech, ready to queue.
struct SpeechAudio {
  std::string text;
  std::vector<std::int16_t> pcm;
  bool reply = true;                // false: a say()
  bool starts_reply = false;        // the first chunk of a reply or of a say
  std::chrono::nanoseconds tts{0};  // its synthesis
};

// --- system -----------------------------------------------------------------------

struct Start {};  // the call was answered
struct Dtmf {
  char digit;
};
struct Timer {};  // the inactivity deadline came
// The API's say: its audio goes downstream ahead of it.
struct SayText {
  std::string handle;
  std::string text;
};
struct CancelSay {
  std::string handle;
};
// Flush what the bot has queued for playout and not played.
enum class InterruptCause : std::uint8_t { BargeIn, Cancel };
struct Interrupt {
  InterruptCause cause;
};
struct Hangup {};
struct End {};  // the call is over: every stage lets go of what it holds
// Upstream: forget the utterance under way (a key, a reprompt took the turn).
struct ResetTurn {};
// Upstream: the phrases the recogniser should expect next.
struct ExpectPhrases {
  std::vector<std::string> phrases;
};
// Upstream, the call's playout reports.
struct ChunkStarted {
  std::uint64_t chunk;
  std::chrono::nanoseconds queued_for;
};
struct ChunkPlayed {
  std::uint64_t chunk;
};
struct Heard {
  HeardReport report;
  int sample_rate;
};

using Frame = std::variant<CallerAudio, SpeechStarted, SpeechStopped, InterimTranscript, FinalTranscript, TurnTaken,
                           ReplyStarted, AgentText, AgentDone, SpeechAudio,
                           // system
                           Start, Dtmf, Timer, SayText, CancelSay, Interrupt, Hangup, End, ResetTurn, ExpectPhrases,
                           ChunkStarted, ChunkPlayed, Heard>;

// System frames are the variant's last alternatives, from Start on.
inline constexpr std::size_t kFirstSystemFrame = 10;
static_assert(std::is_same_v<std::variant_alternative_t<kFirstSystemFrame, Frame>, Start>);

// True for control: what BotInbox lets overtake caller audio (keys, the
// API's requests, playout reports, the call's end), and what the stages
// derive from it.
[[nodiscard]] inline bool is_system(const Frame& frame) noexcept {
  return frame.index() >= kFirstSystemFrame;
}

}  // namespace voxgate::bot
