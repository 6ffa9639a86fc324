#include "media/apps/play_app.hpp"

#include <gtest/gtest.h>

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "support/goertzel.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::media {
namespace {

using test::TempDir;

// Writes `interleaved` samples as a 16-bit WAV of `channels` at `rate`.
void write_wav(const std::filesystem::path& path, int rate, int channels,
               const std::vector<std::int16_t>& interleaved) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  const auto frames = static_cast<sf_count_t>(interleaved.size()) / channels;
  EXPECT_EQ(sf_writef_short(file, interleaved.data(), frames), frames);
  sf_close(file);
}

// The same samples as a mono 32-bit float WAV (full scale is 1.0).
void write_float_wav(const std::filesystem::path& path, int rate, const std::vector<std::int16_t>& samples) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  std::vector<float> floats;
  floats.reserve(samples.size());
  for (const std::int16_t s : samples) floats.push_back(static_cast<float>(s) / 32768.0F);
  const auto frames = static_cast<sf_count_t>(floats.size());
  EXPECT_EQ(sf_writef_float(file, floats.data(), frames), frames);
  sf_close(file);
}

std::vector<std::int16_t> interleave(const std::vector<std::int16_t>& left, const std::vector<std::int16_t>& right) {
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < left.size(); ++i) {
    out.push_back(left[i]);
    out.push_back(right[i]);
  }
  return out;
}

constexpr std::size_t kFrameSamples = 160;  // 20 ms at 8 kHz

// Plays until the app says it is done (or `max_frames`); the audio and the
// number of frames it filled.
struct Played {
  std::vector<std::int16_t> audio;
  std::size_t frames = 0;
  bool ended = false;
};
Played play(PlayApp& app, std::size_t max_frames, std::size_t frame_size = kFrameSamples) {
  Played played;
  std::vector<std::int16_t> frame(frame_size);
  while (played.frames < max_frames) {
    if (!app.fill(frame)) {
      played.ended = true;
      break;
    }
    ++played.frames;
    played.audio.insert(played.audio.end(), frame.begin(), frame.end());
  }
  return played;
}

TEST(PlayApp, AStereo16kHzFilePlayedAt8kHzKeepsItsToneAndDuration) {
  const TempDir dir;
  const auto tone = test::sine(440, 16000, 16000, 10000);  // 1 s
  write_wav(dir / "tone.wav", 16000, 2, interleave(tone, tone));
  auto app = PlayApp::create(dir / "tone.wav", 8000, PlayMode::Once);
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_EQ((*app)->sample_rate(), 8000);
  EXPECT_EQ((*app)->length(), 8000U);
  const Played played = play(**app, 1000);
  EXPECT_TRUE(played.ended);
  EXPECT_EQ(played.frames, 50U);
  const auto steady = std::span<const std::int16_t>(played.audio).subspan(400, 7200);
  EXPECT_GT(test::tone_dominance(steady, 440, {300, 600, 1000, 2000, 3000}, 8000), 5.0);
  // In place, not delayed by the resampler's filter: sample for sample the
  // sine the file holds (away from the edges, which fade in from silence).
  for (std::size_t i = 80; i < 7920; ++i) {
    const double ideal = 10000 * std::sin(2 * std::numbers::pi * 440 * static_cast<double>(i) / 8000);
    ASSERT_NEAR(played.audio[i], ideal, 300) << "at sample " << i;
  }
}

TEST(PlayApp, StereoIsMixedDownByAveragingTheChannels) {
  const TempDir dir;
  write_wav(dir / "two.wav", 8000, 2,
            interleave(std::vector<std::int16_t>(800, 1000), std::vector<std::int16_t>(800, 3000)));
  auto app = PlayApp::create(dir / "two.wav", 8000, PlayMode::Once);
  ASSERT_TRUE(app) << app.error().message;
  const Played played = play(**app, 1000);
  ASSERT_EQ(played.audio.size(), 800U);
  EXPECT_TRUE(std::all_of(played.audio.begin(), played.audio.end(), [](std::int16_t s) { return s == 2000; }));
}

TEST(PlayApp, AtItsOwnRateA16BitFileIsPlayedSampleForSample) {
  const TempDir dir;
  const auto tone = test::sine(1000, 1600, 8000, 20000);
  write_wav(dir / "tone.wav", 8000, 1, tone);
  auto app = PlayApp::create(dir / "tone.wav", 8000, PlayMode::Once);
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_EQ(play(**app, 1000).audio, tone);
}

TEST(PlayApp, AFloatWavPlaysLikeA16BitOne) {
  const TempDir dir;
  const auto tone = test::sine(1000, 1600, 8000, 20000);
  write_float_wav(dir / "float.wav", 8000, tone);
  auto app = PlayApp::create(dir / "float.wav", 8000, PlayMode::Once);
  ASSERT_TRUE(app) << app.error().message;
  const auto audio = play(**app, 1000).audio;
  ASSERT_EQ(audio.size(), tone.size());
  for (std::size_t i = 0; i < tone.size(); ++i) EXPECT_NEAR(audio[i], tone[i], 1) << "at sample " << i;
}

TEST(PlayApp, PlayedOnceItEndsAfterTheFilesDurationWithTheLastFramePadded) {
  const TempDir dir;
  // 1.03 s at 44.1 kHz: 8240 samples at 8 kHz, 51.5 frames.
  write_wav(dir / "prompt.wav", 44100, 1, test::sine(440, 45423, 44100, 10000));
  auto app = PlayApp::create(dir / "prompt.wav", 8000, PlayMode::Once);
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_NEAR(static_cast<double>((*app)->length()), 8240.0, 1.0);
  const Played played = play(**app, 1000);
  EXPECT_TRUE(played.ended);
  EXPECT_NEAR(static_cast<double>(played.frames), 52.0, 1.0);
  EXPECT_TRUE(std::all_of(played.audio.end() - 80, played.audio.end(), [](std::int16_t s) { return s == 0; }))
      << "the half frame after the file is silence";
  std::array<std::int16_t, kFrameSamples> frame{};
  EXPECT_FALSE((*app)->fill(frame)) << "and stays ended";
}

TEST(PlayApp, ALoopWrapsSeamlessly) {
  const TempDir dir;
  // 250 ms of a 440 Hz cosine is 110 whole cycles that start and end at a
  // peak, where a gap, a click or a fade at the seam would show. Looped, it
  // must be one endless cosine (resampled from 16 kHz: the resampler's
  // filter reaches across the seam).
  constexpr double kAmplitude = 10000;
  std::vector<std::int16_t> cycles(4000);
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    cycles[i] = static_cast<std::int16_t>(
        std::lround(kAmplitude * std::cos(2 * std::numbers::pi * 440 * static_cast<double>(i) / 16000)));
  }
  write_wav(dir / "hold.wav", 16000, 1, cycles);
  auto app = PlayApp::create(dir / "hold.wav", 8000, PlayMode::Loop);
  ASSERT_TRUE(app) << app.error().message;
  ASSERT_EQ((*app)->length(), 2000U);
  const Played played = play(**app, 100);  // 2 s: eight loops
  EXPECT_FALSE(played.ended);
  ASSERT_EQ(played.audio.size(), 16000U);
  for (std::size_t i = 0; i < played.audio.size(); ++i) {
    const double ideal = kAmplitude * std::cos(2 * std::numbers::pi * 440 * static_cast<double>(i) / 8000);
    ASSERT_NEAR(played.audio[i], ideal, 0.03 * kAmplitude) << "at sample " << i << " (seams every 2000)";
  }
}

TEST(PlayApp, AFileShorterThanAFrameLoopsWithinTheFrame) {
  const TempDir dir;
  std::vector<std::int16_t> ramp(40);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::int16_t>(i * 100);
  write_wav(dir / "short.wav", 8000, 1, ramp);
  auto app = PlayApp::create(dir / "short.wav", 8000, PlayMode::Loop);
  ASSERT_TRUE(app) << app.error().message;
  const auto audio = play(**app, 2).audio;
  ASSERT_EQ(audio.size(), 2 * kFrameSamples);
  for (std::size_t i = 0; i < audio.size(); ++i) EXPECT_EQ(audio[i], ramp[i % ramp.size()]) << "at sample " << i;
}

TEST(PlayApp, AMissingFileIsNotFoundNamingTheFile) {
  const TempDir dir;
  const auto path = dir / "absent.wav";
  const auto app = PlayApp::create(path, 8000, PlayMode::Once);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::NotFound);
  EXPECT_NE(app.error().message.find(path.string()), std::string::npos) << app.error().message;
}

TEST(PlayApp, AFileThatIsNotAudioIsUnsupportedWithLibsndfilesReason) {
  const TempDir dir;
  const auto path = dir / "notes.wav";
  std::ofstream(path) << "these are not samples, just a text file with a .wav name\n";
  const auto app = PlayApp::create(path, 8000, PlayMode::Once);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::Unsupported);
  const std::string prefix = "cannot play " + path.string() + ": ";
  EXPECT_EQ(app.error().message.rfind(prefix, 0), 0U) << app.error().message;
  EXPECT_GT(app.error().message.size(), prefix.size()) << "libsndfile's reason follows";
}

TEST(PlayApp, AnEmptyFileIsRefused) {
  const TempDir dir;
  write_wav(dir / "empty.wav", 8000, 1, {});
  const auto app = PlayApp::create(dir / "empty.wav", 8000, PlayMode::Loop);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::InvalidArgument);
  EXPECT_NE(app.error().message.find("empty.wav"), std::string::npos) << app.error().message;
  EXPECT_NE(app.error().message.find("no audio"), std::string::npos) << app.error().message;
}

TEST(PlayApp, AFileLongerThanTheLimitIsRefused) {
  const TempDir dir;
  // At 1 kHz the limit is a small file.
  write_wav(dir / "long.wav", 1000, 1,
            std::vector<std::int16_t>(static_cast<std::size_t>(PlayApp::kMaxSeconds + 1) * 1000));
  const auto app = PlayApp::create(dir / "long.wav", 8000, PlayMode::Once);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::LimitExceeded);
  EXPECT_NE(app.error().message.find("long.wav"), std::string::npos) << app.error().message;
}

TEST(PlayApp, ABadSampleRateIsRefused) {
  const TempDir dir;
  write_wav(dir / "tone.wav", 8000, 1, test::sine(440, 800, 8000, 10000));
  EXPECT_EQ(PlayApp::create(dir / "tone.wav", 0, PlayMode::Once).error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace voxgate::media
