#include "media/apps/play_app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include <sndfile.h>

#include "media/codec/resampler.hpp"

namespace voxgate::media {

namespace {

struct CloseFile {
  void operator()(SNDFILE* file) const noexcept { sf_close(file); }
};
using SoundFile = std::unique_ptr<SNDFILE, CloseFile>;

constexpr int kMaxRate = 192000;
constexpr sf_count_t kChunkFrames = 4096;

Errc open_error_code(const std::filesystem::path& file, int sndfile_error) {
  std::error_code ignored;
  if (!std::filesystem::exists(file, ignored)) return Errc::NotFound;
  switch (sndfile_error) {
    case SF_ERR_UNRECOGNISED_FORMAT:
    case SF_ERR_MALFORMED_FILE:
    case SF_ERR_UNSUPPORTED_ENCODING: return Errc::Unsupported;
    default: return Errc::Io;
  }
}

// The file at its own rate, channels averaged. Read as float so the mix is
// not rounded per channel; libsndfile scales every format to [-1, 1].
Result<std::vector<std::int16_t>> decode_mono(SNDFILE* file, const SF_INFO& info) {
  const auto max_frames = static_cast<sf_count_t>(PlayApp::kMaxSeconds) * info.samplerate;
  // frames may be unknown (SF_COUNT_MAX for a pipe); the loop checks again.
  if (info.frames > max_frames) {
    return make_error(Errc::LimitExceeded, "longer than {} s (prompts are decoded into memory)", PlayApp::kMaxSeconds);
  }
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> chunk(static_cast<std::size_t>(kChunkFrames) * channels);
  std::vector<std::int16_t> mono;
  mono.reserve(static_cast<std::size_t>(std::max<sf_count_t>(info.frames, 0)));
  while (true) {
    const sf_count_t got = sf_readf_float(file, chunk.data(), kChunkFrames);
    if (got <= 0) break;
    for (std::size_t frame = 0; frame < static_cast<std::size_t>(got); ++frame) {
      float sum = 0;
      for (std::size_t channel = 0; channel < channels; ++channel) sum += chunk[frame * channels + channel];
      // 32768 (not 32767): 16-bit files come back bit-exact.
      const float scaled = std::round(sum / static_cast<float>(channels) * 32768.0F);
      mono.push_back(static_cast<std::int16_t>(std::clamp(scaled, -32768.0F, 32767.0F)));
    }
    if (std::cmp_greater(mono.size(), max_frames)) {
      return make_error(Errc::LimitExceeded, "longer than {} s (prompts are decoded into memory)",
                        PlayApp::kMaxSeconds);
    }
  }
  if (sf_error(file) != SF_ERR_NO_ERROR) return make_error(Errc::Io, "{}", sf_strerror(file));
  if (mono.empty()) return make_error(Errc::InvalidArgument, "no audio in it");
  return mono;
}

// How many output samples the resampler emits before the first input
// sample's: its filter delay. Measured with an impulse rather than taken
// from speexdsp's internals, so it holds for whatever quality the
// Resampler uses.
Result<std::size_t> resampler_delay(int input_rate, int output_rate) {
  auto probe = Resampler::create(input_rate, output_rate);
  if (!probe) return tl::unexpected(probe.error());
  std::vector<std::int16_t> impulse(static_cast<std::size_t>(input_rate / 50));  // 20 ms: past the filter's reach
  impulse[0] = 32767;
  std::vector<std::int16_t> response;
  probe->process(impulse, response);
  const auto peak = std::max_element(response.begin(), response.end(),
                                     [](std::int16_t a, std::int16_t b) { return std::abs(a) < std::abs(b); });
  return static_cast<std::size_t>(peak - response.begin());
}

// The whole file at `output_rate`, exactly as long as the original. The
// filter mixes each output sample from input on both sides of it, so the
// file is padded with what surrounds it when played: silence when played
// once, its own other end on a loop (so the seam is as smooth as the
// middle). The filter's delay and the padding are then cut off.
Result<std::vector<std::int16_t>> to_rate(std::vector<std::int16_t> mono, int input_rate, int output_rate,
                                          PlayMode mode) {
  if (input_rate == output_rate) return mono;
  auto resampler = Resampler::create(input_rate, output_rate);
  if (!resampler) return tl::unexpected(resampler.error());
  const auto delay = resampler_delay(input_rate, output_rate);
  if (!delay) return tl::unexpected(delay.error());

  const std::size_t n = mono.size();
  const auto pad = static_cast<std::size_t>(input_rate / 50);  // 20 ms, several times the filter's delay
  const bool loop = mode == PlayMode::Loop;
  std::vector<std::int16_t> padded;
  padded.reserve(n + 2 * pad);
  for (std::size_t i = 0; i < pad; ++i) padded.push_back(loop ? mono[(n - (pad - i) % n) % n] : std::int16_t{0});
  padded.insert(padded.end(), mono.begin(), mono.end());
  for (std::size_t i = 0; i < pad; ++i) padded.push_back(loop ? mono[i % n] : std::int16_t{0});

  std::vector<std::int16_t> resampled;
  resampler->process(padded, resampled);
  const auto in = static_cast<std::size_t>(input_rate);
  const auto out = static_cast<std::size_t>(output_rate);
  const std::size_t start = *delay + (pad * out + in / 2) / in;
  const std::size_t length = (n * out + in / 2) / in;
  if (resampled.size() < start + length)
    resampled.resize(start + length);  // not expected: the padding covers the delay
  return std::vector<std::int16_t>(resampled.begin() + static_cast<std::ptrdiff_t>(start),
                                   resampled.begin() + static_cast<std::ptrdiff_t>(start + length));
}

}  // namespace

Result<std::unique_ptr<PlayApp>> PlayApp::create(const std::filesystem::path& file, int sample_rate, PlayMode mode) {
  if (sample_rate <= 0 || sample_rate > kMaxRate) {
    return make_error(Errc::InvalidArgument, "cannot play {} at {} Hz", file.string(), sample_rate);
  }
  SF_INFO info{};
  const SoundFile sound(sf_open(file.c_str(), SFM_READ, &info));
  if (!sound) {
    // libsndfile reports a failed open through process-wide state (there is
    // no handle to ask); under concurrent failed opens the reason may be
    // another file's.
    return make_error(open_error_code(file, sf_error(nullptr)), "cannot play {}: {}", file.string(),
                      sf_strerror(nullptr));
  }
  auto mono = decode_mono(sound.get(), info);
  if (!mono) return make_error(mono.error().code, "cannot play {}: {}", file.string(), mono.error().message);
  auto audio = to_rate(std::move(*mono), info.samplerate, sample_rate, mode);
  if (!audio) return make_error(audio.error().code, "cannot play {}: {}", file.string(), audio.error().message);
  if (audio->empty())
    return make_error(Errc::InvalidArgument, "cannot play {}: shorter than one sample", file.string());
  // Not make_unique: the constructor is private, so creation goes through here.
  return std::unique_ptr<PlayApp>(new PlayApp(sample_rate, mode, std::move(*audio)));
}

bool PlayApp::fill(std::span<std::int16_t> frame) {
  const std::span<const std::int16_t> audio(audio_);
  if (mode_ == PlayMode::Once) {
    if (position_ >= audio.size()) return false;
    const std::size_t n = std::min(frame.size(), audio.size() - position_);
    std::copy_n(audio.subspan(position_).begin(), n, frame.begin());
    std::fill(frame.subspan(n).begin(), frame.end(), std::int16_t{0});
    position_ += n;
    return true;
  }
  // A loop may wrap within a frame (more than once for a file shorter than a frame).
  for (std::size_t done = 0; done < frame.size();) {
    const std::size_t n = std::min(frame.size() - done, audio.size() - position_);
    std::copy_n(audio.subspan(position_).begin(), n, frame.subspan(done).begin());
    done += n;
    position_ = (position_ + n) % audio.size();
  }
  return true;
}

}  // namespace voxgate::media
