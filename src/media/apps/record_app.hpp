#pragma once
// Records a call to a WAV file (16-bit PCM at the app's rate) while another
// app serves it: a decorator that hands every call on to the inner app (what
// the caller hears: echo, tone, a prompt...) and keeps a copy of the audio,
// either the caller's alone (mono) or both directions (stereo: left the
// caller, right what the inner app sent).
//
// A tick only copies into memory; the file is written once a second of
// audio has gathered, and at destruction. That write goes to the page cache
// (no fsync) and updates the WAV header, so a file is valid after the app is
// destroyed and, should the process die, holds all but the last second. The
// buffer costs 2 bytes a sample and channel: 32 KB a second at 8 kHz stereo.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "media/apps/media_app.hpp"

struct sf_private_tag;  // libsndfile's SNDFILE

namespace voxgate::media {

enum class RecordChannels {
  Caller,  // mono: what the caller said
  Both,    // stereo: left the caller, right what the inner app sent
};

class RecordApp final : public MediaApp {
 public:
  // Creates (or replaces) `file`. Fails with InvalidArgument without an inner
  // app, Io naming the file and libsndfile's reason when it cannot be opened.
  static Result<std::unique_ptr<RecordApp>> create(const std::filesystem::path& file, RecordChannels channels,
                                                   std::unique_ptr<MediaApp> inner);
  // Writes what is buffered and closes the file.
  ~RecordApp() override;
  RecordApp(const RecordApp&) = delete;
  RecordApp& operator=(const RecordApp&) = delete;
  RecordApp(RecordApp&&) = delete;
  RecordApp& operator=(RecordApp&&) = delete;

  [[nodiscard]] int sample_rate() const noexcept override { return inner_->sample_rate(); }
  void on_caller_audio(std::span<const std::int16_t> frame) override;
  // The inner app's frame and answer, unchanged.
  bool fill(std::span<std::int16_t> frame) override;

  // Sample frames (one sample per channel) in the file so far; buffered
  // audio counts once it is written.
  [[nodiscard]] std::uint64_t frames_written() const noexcept { return frames_written_; }
  // Failed writes. The first stops the recording (the file is closed and
  // keeps what was written before it); the call goes on.
  [[nodiscard]] std::uint64_t write_errors() const noexcept { return write_errors_; }
  [[nodiscard]] bool recording() const noexcept { return file_ != nullptr; }
  // libsndfile's reason for the failed write; empty when none failed.
  [[nodiscard]] const std::string& write_error() const noexcept { return write_error_; }

 private:
  struct CloseFile {
    void operator()(sf_private_tag* file) const noexcept;
  };
  RecordApp(std::unique_ptr<sf_private_tag, CloseFile> file, RecordChannels channels, std::unique_ptr<MediaApp> inner);

  // One stretch of both directions, the shorter padded with silence.
  void append_stereo(std::span<const std::int16_t> caller, std::span<const std::int16_t> sent);
  void flush_if_full();
  void flush();

  std::unique_ptr<MediaApp> inner_;
  std::unique_ptr<sf_private_tag, CloseFile> file_;  // null once recording stopped
  RecordChannels channels_;
  std::size_t flush_samples_;         // about 1 s of audio, all channels
  std::vector<std::int16_t> buffer_;  // interleaved when stereo
  // Stereo: the caller's frame waits for the inner app's of the same tick.
  std::vector<std::int16_t> caller_frame_;
  bool caller_waiting_ = false;
  std::uint64_t frames_written_ = 0;
  std::uint64_t write_errors_ = 0;
  std::string write_error_;
};

}  // namespace voxgate::media
