#include "media/apps/record_app.hpp"

#include <algorithm>
#include <utility>

#include <sndfile.h>

namespace voxgate::media {

namespace {

// The buffer holds a flush's worth plus 1/10 s (five 20-ms frames) of
// room, so appending a tick's frame never reallocates.
constexpr std::size_t kSlackPerSecond = 10;

}  // namespace

void RecordApp::CloseFile::operator()(SNDFILE* file) const noexcept {
  // Rewrites the header with the final length. Nobody is left to tell if
  // that fails; the header written after the last flush still holds.
  sf_close(file);
}

Result<std::unique_ptr<RecordApp>> RecordApp::create(const std::filesystem::path& file, RecordChannels channels,
                                                     std::unique_ptr<MediaApp> inner) {
  if (!inner) return make_error(Errc::InvalidArgument, "cannot record to {}: no app to record", file.string());
  SF_INFO info{};
  info.samplerate = inner->sample_rate();
  info.channels = channels == RecordChannels::Both ? 2 : 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  std::unique_ptr<SNDFILE, CloseFile> sound(sf_open(file.c_str(), SFM_WRITE, &info));
  if (!sound) {
    // libsndfile reports a failed open through process-wide state (there is
    // no handle to ask); under concurrent failed opens the reason may be
    // another file's.
    return make_error(Errc::Io, "cannot record to {}: {}", file.string(), sf_strerror(nullptr));
  }
  // Rewrite the header after each write (once a second), so a crash leaves
  // a readable file rather than one whose header says it is empty.
  sf_command(sound.get(), SFC_SET_UPDATE_HEADER_AUTO, nullptr, SF_TRUE);
  // Not make_unique: the constructor is private, so creation goes through here.
  return std::unique_ptr<RecordApp>(new RecordApp(std::move(sound), channels, std::move(inner)));
}

RecordApp::RecordApp(std::unique_ptr<SNDFILE, CloseFile> file, RecordChannels channels, std::unique_ptr<MediaApp> inner)
    : inner_(std::move(inner)), file_(std::move(file)), channels_(channels) {
  const auto rate = static_cast<std::size_t>(std::max(inner_->sample_rate(), 1));
  const std::size_t width = channels_ == RecordChannels::Both ? 2 : 1;
  flush_samples_ = rate * width;
  buffer_.reserve(flush_samples_ + rate / kSlackPerSecond * width);
  caller_frame_.reserve(rate / kSlackPerSecond);
}

RecordApp::~RecordApp() {
  if (caller_waiting_) append_stereo(caller_frame_, {});
  flush();
}

void RecordApp::on_caller_audio(std::span<const std::int16_t> frame) {
  inner_->on_caller_audio(frame);
  if (!file_) return;
  if (channels_ == RecordChannels::Caller) {
    buffer_.insert(buffer_.end(), frame.begin(), frame.end());
    flush_if_full();
    return;
  }
  // Two caller frames with no fill between them: the first gets silence
  // beside it rather than being lost.
  if (caller_waiting_) append_stereo(caller_frame_, {});
  caller_frame_.assign(frame.begin(), frame.end());
  caller_waiting_ = true;
}

bool RecordApp::fill(std::span<std::int16_t> frame) {
  const bool more = inner_->fill(frame);
  if (file_ && channels_ == RecordChannels::Both) {
    // Unless the inner app is done (the frame is then unused), it is what the caller hears.
    const auto sent = more ? std::span<const std::int16_t>(frame) : std::span<const std::int16_t>();
    append_stereo(caller_waiting_ ? std::span<const std::int16_t>(caller_frame_) : std::span<const std::int16_t>(),
                  sent);
    caller_waiting_ = false;
  }
  return more;
}

void RecordApp::append_stereo(std::span<const std::int16_t> caller, std::span<const std::int16_t> sent) {
  if (!file_) return;
  const std::size_t frames = std::max(caller.size(), sent.size());
  for (std::size_t i = 0; i < frames; ++i) {
    buffer_.push_back(i < caller.size() ? caller[i] : std::int16_t{0});
    buffer_.push_back(i < sent.size() ? sent[i] : std::int16_t{0});
  }
  flush_if_full();
}

void RecordApp::flush_if_full() {
  if (buffer_.size() >= flush_samples_) flush();
}

void RecordApp::flush() {
  if (!file_ || buffer_.empty()) return;
  const sf_count_t width = channels_ == RecordChannels::Both ? 2 : 1;
  const auto frames = static_cast<sf_count_t>(buffer_.size()) / width;
  const sf_count_t written = sf_writef_short(file_.get(), buffer_.data(), frames);
  buffer_.clear();
  if (written > 0) frames_written_ += static_cast<std::uint64_t>(written);
  if (written != frames) {
    // A full disk or a file-size limit: the call matters more than its
    // recording, so stop here and keep what the file has.
    ++write_errors_;
    write_error_ = sf_strerror(file_.get());
    file_.reset();
  }
}

}  // namespace voxgate::media
