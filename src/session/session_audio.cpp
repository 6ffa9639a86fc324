#include "session/session_audio.hpp"

#include <algorithm>

namespace voxgate::session {

void SessionAudio::on_caller_audio(std::span<const std::int16_t> frame) {
  if (app_ != nullptr && app_->listens()) app_->on_caller_audio(frame);
  if (forward_) sink_.on_caller_pcm(frame, rate_);
}

bool SessionAudio::fill(std::span<std::int16_t> frame) {
  if (head_ < queue_.size()) {
    const std::size_t n = std::min(frame.size(), queue_.size() - head_);
    std::copy_n(queue_.begin() + static_cast<std::ptrdiff_t>(head_), n, frame.begin());
    head_ += n;
    if (head_ == queue_.size()) clear_queue();  // keeps the capacity for the next prompt
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(n), frame.end(), std::int16_t{0});
    sink_.on_queued_audio_played(n, queued_samples());
    return true;
  }
  if (app_ == nullptr) {
    std::fill(frame.begin(), frame.end(), std::int16_t{0});
    return true;
  }
  if (app_->fill(frame)) return true;
  if (end_when_finished_) return false;
  app_.reset();
  std::fill(frame.begin(), frame.end(), std::int16_t{0});
  sink_.on_media_app_finished();
  return true;
}

Result<void> SessionAudio::attach(std::unique_ptr<media::MediaApp> app) {
  if (app == nullptr) return make_error(Errc::InvalidArgument, "no media app to attach");
  if (app->sample_rate() != rate_) {
    return make_error(Errc::InvalidArgument, "the media app runs at {} Hz, the session at {} Hz", app->sample_rate(),
                      rate_);
  }
  app_ = std::move(app);
  return {};
}

Result<void> SessionAudio::queue(std::span<const std::int16_t> pcm) {
  const auto limit = static_cast<std::size_t>(kMaxQueued.count()) * static_cast<std::size_t>(rate_);
  if (queued_samples() + pcm.size() > limit) {
    return make_error(Errc::LimitExceeded, "more than {} s of audio queued", kMaxQueued.count());
  }
  if (head_ > 0 && head_ >= queue_.size() / 2) {  // reclaim what was played before growing
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  queue_.insert(queue_.end(), pcm.begin(), pcm.end());
  return {};
}

}  // namespace voxgate::session
