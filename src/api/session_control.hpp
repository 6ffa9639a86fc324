#pragma once
// What the REST API asks of the sessions themselves (originate a call, hang
// up, hold, play...), as opposed to what it reads from the registry. The
// sessions live on the worker loops; the implementation (app/
// loop_session_control.hpp) posts each command to the loop that owns the
// call and reports the outcome through `done`, on that loop's thread: the
// API posts it back to its own io_context.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api {

// A built-in media app, as the API names it: "echo", "tone" (tone_hz),
// "silence", "play" (file, loop), "record" (file), and when answering a
// call "bot" (profile).
struct MediaAppSpec {
  std::string name;
  double tone_hz = 440;
  std::string file;
  bool loop = true;
  std::string bot_profile;  // "bot": "" for the default profile, [bot]; else [bots.<name>]
};

struct OriginateRequest {
  std::string target;               // "sip:bob@127.0.0.1:5062"
  std::string from;                 // "" for the gateway's own identity
  std::optional<MediaAppSpec> app;  // what serves the call once answered; none: silence
  session::Metadata metadata;
  std::optional<std::chrono::milliseconds> timeout;  // unanswered by then: CANCEL
};

// Where POST .../stream sends a live call: the user's bot (docs/BOT.md,
// "Bot streaming"). Empty fields: the configuration's [stream].
struct StreamSpec {
  std::string url;      // ws://... or tcp://...
  std::string profile;  // twilio, l16, audiosocket
  std::map<std::string, std::string> parameters;
};

struct SessionCommand {
  enum class Kind : std::uint8_t {
    Hangup,
    Answer,
    Reject,
    Hold,
    Resume,
    Dtmf,
    Play,
    Record,
    App,
    Stream,
    Transfer,
    Say,
    CancelSay
  };
  Kind kind = Kind::Hangup;
  std::string reason;               // Hangup/Reject: a Reason header value (RFC 3326)
  std::uint16_t status = 0;         // Reject: 400..699
  std::string digits;               // Dtmf
  std::optional<MediaAppSpec> app;  // Answer (optional), Play, Record, App
  StreamSpec stream;                // Stream
  std::string target;               // Transfer: a sip: or sips: URI (RFC 3515 Refer-To)
  std::string text;                 // Say: what the bot says
  std::string handle;               // Say, CancelSay: names the say in bot.said
};

class SessionControl {
 public:
  using Done = std::function<void(Result<void>)>;
  using Originated = std::function<void(Result<session::SessionId>)>;

  SessionControl() = default;
  SessionControl(const SessionControl&) = delete;
  SessionControl& operator=(const SessionControl&) = delete;
  virtual ~SessionControl() = default;

  virtual void originate(OriginateRequest request, Originated done) = 0;
  // `call_id` says which loop owns the session. NotFound when no live
  // session has the id; InvalidState when the command does not fit its
  // state (the message names it).
  virtual void command(session::SessionId id, std::string call_id, SessionCommand command, Done done) = 0;
};

}  // namespace voxgate::api
