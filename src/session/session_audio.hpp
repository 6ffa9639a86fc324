#pragma once
// The media app every session's stream runs (media/apps/media_app.hpp): it
// mixes nothing, it routes. The caller's audio goes to the attached media
// app (echo, record...) when it listens, and to the session's application
// as PcmReceived when that wants it. Our audio is, in order of precedence:
// what the application queued (seed 000's BotAudioReady), else the attached
// media app's, else silence.
//
// Attaching and detaching media apps happens here, not on the stream, so
// the stream and its codec state carry on untouched.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/result.hpp"
#include "media/apps/media_app.hpp"

namespace voxgate::session {

class SessionAudioSink {
 public:
  virtual ~SessionAudioSink() = default;
  virtual void on_caller_pcm(std::span<const std::int16_t> frame, int sample_rate) = 0;
  // The attached media app has nothing more to say (a prompt played once);
  // it has been detached. Not called when `end_when_app_finishes` is set:
  // the stream then ends instead (StreamEndReason::AppFinished).
  virtual void on_media_app_finished() = 0;
  // A frame took `samples` of the queued audio (Session::play_audio);
  // `still_queued` remain. Playout accounting for apps that must know what
  // the caller heard (a bot's barge-in, a streaming bot's marks).
  virtual void on_queued_audio_played(std::size_t samples, std::size_t still_queued) = 0;
};

class SessionAudio final : public media::MediaApp {
 public:
  // Up to two minutes of queued audio: a long prompt fits, a runaway
  // producer does not eat memory.
  static constexpr std::chrono::seconds kMaxQueued{120};

  SessionAudio(int sample_rate, SessionAudioSink& sink) : rate_(sample_rate), sink_(sink) {}

  [[nodiscard]] int sample_rate() const noexcept override { return rate_; }
  [[nodiscard]] bool listens() const noexcept override { return forward_ || (app_ != nullptr && app_->listens()); }
  void on_caller_audio(std::span<const std::int16_t> frame) override;
  bool fill(std::span<std::int16_t> frame) override;

  // InvalidArgument when the app's sample rate is not ours.
  Result<void> attach(std::unique_ptr<media::MediaApp> app);
  std::unique_ptr<media::MediaApp> detach() noexcept { return std::move(app_); }
  [[nodiscard]] bool has_app() const noexcept { return app_ != nullptr; }
  void forward_caller_audio(bool on) noexcept { forward_ = on; }
  void end_when_app_finishes(bool on) noexcept { end_when_finished_ = on; }

  // LimitExceeded (nothing queued) beyond kMaxQueued.
  Result<void> queue(std::span<const std::int16_t> pcm);
  void clear_queue() noexcept {
    queue_.clear();
    head_ = 0;
  }
  [[nodiscard]] std::size_t queued_samples() const noexcept { return queue_.size() - head_; }

 private:
  int rate_;
  SessionAudioSink& sink_;
  std::unique_ptr<media::MediaApp> app_;
  bool forward_ = false;
  bool end_when_finished_ = false;
  // Queued audio from head_ on. A vector, not a deque: a deque allocates
  // its map and a block at construction, and most sessions never queue.
  std::vector<std::int16_t> queue_;
  std::size_t head_ = 0;
};

}  // namespace voxgate::session
