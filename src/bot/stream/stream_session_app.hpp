#pragma once
// A call streamed to the user's own bot (issue 7, "bot streaming"): a
// session::SessionApp on the call's loop that connects to the bot when the
// call starts, sends it the caller's audio and keys in the profile's wire
// format (StreamCodec), and plays what the bot sends back.
//
// Playout is voxgate's: the bot may send audio faster than real time; it is
// queued (Session::play_audio) up to max_queue and leaves at the call's
// pace. The PlayoutLedger beside the queue tells, to the sample, when the
// audio before each of the bot's marks has left for the wire (the mark goes
// back then) and, at a clear, which marks were dropped. The queue's level
// crossing the watermarks is told to the bot (where the profile can).
//
// A connection that fails or breaks (refused, timed out, closed, crashed)
// never leaves the call hanging: per `on_disconnect` the call says its
// disconnect prompt and hangs up, or goes on with the embedded voice bot.
// Events (docs/BOT.md): stream.connected, stream.disconnected, stream.mark,
// stream.clear, stream.overflow, stream.error.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "bot/conversation/playout_ledger.hpp"
#include "bot/stream/stream_codec.hpp"
#include "bot/stream/stream_connection.hpp"
#include "bot/stream/stream_settings.hpp"
#include "media/codec/resampler.hpp"
#include "session/session_app.hpp"

namespace voxgate::bot {

struct StreamAppContext {
  StreamSettings settings;
  StreamStart start;    // call_id, from, to, parameters; the session id is filled in at the start
  int app_rate = 8000;  // the session's app sample rate ([media] app_rate)
  // The disconnect prompt at app_rate (synthesised once at start-up); null
  // or empty: hang up at once.
  std::shared_ptr<const std::vector<std::int16_t>> disconnect_prompt;
  // on_disconnect = Bot: the app that takes the call over.
  std::function<std::unique_ptr<session::SessionApp>()> fallback;
};

class StreamSessionApp final : public session::SessionApp {
 public:
  // `io`: the call's loop, where the session runs.
  StreamSessionApp(boost::asio::io_context& io, StreamAppContext context);
  StreamSessionApp(const StreamSessionApp&) = delete;
  StreamSessionApp& operator=(const StreamSessionApp&) = delete;
  ~StreamSessionApp() override;

  [[nodiscard]] bool wants_audio() const noexcept override { return true; }
  void on_call_started(const session::CallStarted& event, session::Session& session) override;
  void on_hold_changed(const session::HoldChanged& event, session::Session& session) override;
  void on_pcm_received(const session::PcmReceived& event, session::Session& session) override;
  void on_dtmf_received(const session::DtmfReceived& event, session::Session& session) override;
  void on_audio_played(const session::AudioPlayed& event, session::Session& session) override;
  void on_call_ended(const session::CallEnded& event, session::Session& session) override;

 private:
  void connect();
  void on_open();
  void on_message(const StreamMessage& message);
  void on_disconnected(const std::string& reason);
  void play(std::vector<std::int16_t> wire_pcm);
  void mark(std::string name);
  void clear();
  void send(std::optional<StreamMessage> message);
  void watch_level();
  void event(std::string_view type, std::string fields_json);
  [[nodiscard]] std::size_t samples_for(std::chrono::milliseconds duration) const noexcept;

  boost::asio::io_context& io_;
  StreamAppContext context_;
  std::unique_ptr<StreamCodec> codec_;
  std::unique_ptr<StreamConnection> connection_;
  session::Session* session_ = nullptr;        // from CallStarted until CallEnded
  std::optional<media::Resampler> to_wire_;    // app rate -> wire rate, when they differ
  std::optional<media::Resampler> from_wire_;  // wire rate -> app rate
  std::vector<std::int16_t> scratch_;
  PlayoutLedger ledger_;
  bool open_ = false;
  bool level_high_ = false;
  bool overflowing_ = false;
  bool hangup_when_played_ = false;                // the disconnect prompt is playing
  std::unique_ptr<session::SessionApp> fallback_;  // the bot that took over
};

}  // namespace voxgate::bot
