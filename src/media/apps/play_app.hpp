#pragma once
// Plays an audio file to the caller: a prompt once (then the call ends), or
// on a loop (music on hold). Any file libsndfile reads (WAV of any sample
// format, FLAC, ...), at any sample rate; several channels are mixed down
// to mono.
//
// The whole file is decoded and resampled to the app's rate when the app is
// created, so a tick copies samples and nothing else: no I/O, no allocation.
// That costs memory (2 bytes a sample: 1 MB per minute at 8 kHz, 5.6 MB at
// 48 kHz), hence the length limit; prompts are seconds long. Creation reads
// the file and can block: do it when the call is set up, not on a tick.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "media/apps/media_app.hpp"

namespace voxgate::media {

enum class PlayMode {
  Once,  // fill() returns false once the file has been played
  Loop,  // the file restarts at once, with no gap or click at the seam
};

class PlayApp final : public MediaApp {
 public:
  // Longer files are refused (the memory above, per playing call).
  static constexpr int kMaxSeconds = 5 * 60;

  // Errors name the file and libsndfile's reason: NotFound (no such file),
  // Unsupported (a format libsndfile does not read), InvalidArgument (no
  // audio in it, or a bad `sample_rate`), LimitExceeded (longer than
  // kMaxSeconds), Io (any other failure to open or read).
  static Result<std::unique_ptr<PlayApp>> create(const std::filesystem::path& file, int sample_rate, PlayMode mode);

  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }
  void on_caller_audio(std::span<const std::int16_t> /*frame*/) override {}
  [[nodiscard]] bool listens() const noexcept override { return false; }
  // The next samples of the file; in Once mode the last frame is padded
  // with silence and the call after it returns false.
  bool fill(std::span<std::int16_t> frame) override;

  // The decoded file, in samples at the app's rate.
  [[nodiscard]] std::size_t length() const noexcept { return audio_.size(); }

 private:
  PlayApp(int sample_rate, PlayMode mode, std::vector<std::int16_t> audio) noexcept
      : sample_rate_(sample_rate), mode_(mode), audio_(std::move(audio)) {}

  int sample_rate_;
  PlayMode mode_;
  std::vector<std::int16_t> audio_;  // never empty
  std::size_t position_ = 0;         // next sample of audio_ to play
};

}  // namespace voxgate::media
