#include "media/apps/record_app.hpp"

#include <gtest/gtest.h>

#include <sndfile.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "media/apps/basic_apps.hpp"
#include "support/goertzel.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::media {
namespace {

using test::TempDir;

// A WAV read back with libsndfile: its header and its samples, one vector a channel.
struct Wav {
  SF_INFO info{};
  std::vector<std::vector<std::int16_t>> channels;
};
Wav read_wav(const std::filesystem::path& path) {
  Wav wav;
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &wav.info);
  if (file == nullptr) {
    ADD_FAILURE() << "cannot read " << path << ": " << sf_strerror(nullptr);
    return wav;
  }
  std::vector<std::int16_t> interleaved(static_cast<std::size_t>(wav.info.frames * wav.info.channels));
  EXPECT_EQ(sf_readf_short(file, interleaved.data(), wav.info.frames), wav.info.frames);
  sf_close(file);
  const auto width = static_cast<std::size_t>(wav.info.channels);
  wav.channels.resize(width);
  for (std::size_t i = 0; i < interleaved.size(); ++i) wav.channels[i % width].push_back(interleaved[i]);
  return wav;
}

// An inner app that shows what reached it: counts, the last caller frame,
// and a fill that writes a marker and says "done" after `fills` frames.
class FakeApp final : public MediaApp {
 public:
  explicit FakeApp(int fills) : fills_left_(fills) {}
  [[nodiscard]] int sample_rate() const noexcept override { return 16000; }
  void on_caller_audio(std::span<const std::int16_t> frame) override {
    ++heard;
    last_heard.assign(frame.begin(), frame.end());
  }
  bool fill(std::span<std::int16_t> frame) override {
    std::fill(frame.begin(), frame.end(), std::int16_t{1234});
    return fills_left_-- > 0;
  }
  int heard = 0;
  std::vector<std::int16_t> last_heard;

 private:
  int fills_left_;
};

// Ticks as a stream does: the caller's frame in, ours out.
void run(MediaApp& app, const std::vector<std::int16_t>& caller, std::size_t frame_size) {
  std::vector<std::int16_t> out(frame_size);
  for (std::size_t at = 0; at + frame_size <= caller.size(); at += frame_size) {
    app.on_caller_audio(std::span(caller).subspan(at, frame_size));
    app.fill(out);
  }
}

TEST(RecordApp, TheCallersToneIsInTheMonoFileAtTheRightRateAndLength) {
  const TempDir dir;
  const auto caller = test::sine(440, 20000, 8000, 10000);  // 2.5 s
  {
    auto app = RecordApp::create(dir / "call.wav", RecordChannels::Caller, std::make_unique<SilenceApp>(8000));
    ASSERT_TRUE(app) << app.error().message;
    run(**app, caller, 160);
    EXPECT_EQ((*app)->frames_written(), 16000U) << "two whole seconds; the last half waits for the destructor";
    EXPECT_EQ((*app)->write_errors(), 0U);
    EXPECT_TRUE((*app)->recording());
  }
  const Wav wav = read_wav(dir / "call.wav");
  EXPECT_EQ(wav.info.samplerate, 8000);
  EXPECT_EQ(wav.info.channels, 1);
  EXPECT_EQ(wav.info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  ASSERT_EQ(wav.info.frames, 20000);
  EXPECT_GT(test::tone_dominance(wav.channels[0], 440, {300, 600, 1000, 2000, 3000}, 8000), 5.0);
  EXPECT_EQ(wav.channels[0], caller) << "16-bit PCM keeps every sample";
}

TEST(RecordApp, StereoHasTheCallerOnTheLeftAndWhatTheInnerAppSentOnTheRight) {
  const TempDir dir;
  const auto caller = test::sine(440, 16000, 16000, 10000);  // 1 s at 16 kHz
  {
    auto app = RecordApp::create(dir / "both.wav", RecordChannels::Both, std::make_unique<ToneApp>(16000, 1000));
    ASSERT_TRUE(app) << app.error().message;
    run(**app, caller, 320);
  }
  const Wav wav = read_wav(dir / "both.wav");
  EXPECT_EQ(wav.info.samplerate, 16000);
  ASSERT_EQ(wav.info.channels, 2);
  ASSERT_EQ(wav.info.frames, 16000);
  EXPECT_EQ(wav.channels[0], caller);
  EXPECT_GT(test::tone_dominance(wav.channels[0], 440, {1000, 2000, 3000}, 16000), 5.0);
  EXPECT_GT(test::tone_dominance(wav.channels[1], 1000, {440, 2000, 3000}, 16000), 5.0);
}

TEST(RecordApp, ForwardsEveryCallToTheInnerAppUnchanged) {
  const TempDir dir;
  auto inner = std::make_unique<FakeApp>(2);
  FakeApp& fake = *inner;
  auto app = RecordApp::create(dir / "fake.wav", RecordChannels::Both, std::move(inner));
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_EQ((*app)->sample_rate(), 16000);
  const std::vector<std::int16_t> spoken(320, 7);
  std::vector<std::int16_t> out(320);
  (*app)->on_caller_audio(spoken);
  EXPECT_EQ(fake.heard, 1);
  EXPECT_EQ(fake.last_heard, spoken);
  EXPECT_TRUE((*app)->fill(out));
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 1234; }));
  EXPECT_TRUE((*app)->fill(out));
  EXPECT_FALSE((*app)->fill(out)) << "the inner app's end is the call's end";
}

TEST(RecordApp, BuffersAboutASecondBeforeWriting) {
  const TempDir dir;
  auto app = RecordApp::create(dir / "buffered.wav", RecordChannels::Caller, std::make_unique<EchoApp>(8000));
  ASSERT_TRUE(app) << app.error().message;
  const auto header_only = std::filesystem::file_size(dir / "buffered.wav");
  run(**app, test::sine(440, std::size_t{49} * 160, 8000, 10000), 160);
  EXPECT_EQ((*app)->frames_written(), 0U) << "49 ticks stay in memory";
  EXPECT_EQ(std::filesystem::file_size(dir / "buffered.wav"), header_only);
  run(**app, test::sine(440, 160, 8000, 10000), 160);
  EXPECT_EQ((*app)->frames_written(), 8000U) << "the 50th tick completes a second";
  EXPECT_EQ(std::filesystem::file_size(dir / "buffered.wav"), header_only + 16000);
  const Wav so_far = read_wav(dir / "buffered.wav");
  EXPECT_EQ(so_far.info.frames, 8000) << "the header is updated with each write, before the app is gone";
}

TEST(RecordApp, AFileThatCannotBeOpenedIsAnIoErrorNamingIt) {
  const TempDir dir;
  const auto path = dir / "no-such-directory" / "call.wav";
  const auto app = RecordApp::create(path, RecordChannels::Caller, std::make_unique<SilenceApp>(8000));
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::Io);
  EXPECT_NE(app.error().message.find(path.string()), std::string::npos) << app.error().message;
}

TEST(RecordApp, WithoutAnInnerAppCreationFails) {
  const TempDir dir;
  const auto app = RecordApp::create(dir / "call.wav", RecordChannels::Caller, nullptr);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, Errc::InvalidArgument);
}

// Runs in a child process (a death test) because it lowers the process's
// file-size limit: the second second of audio no longer fits, the write
// fails, and the call must go on.
void record_past_a_file_size_limit(const std::filesystem::path& path) {
  std::signal(SIGXFSZ, SIG_IGN);                             // a failed write, not a killed process
  const rlimit limit{44 + 16000 + 1000, 44 + 16000 + 1000};  // header, 1 s at 8 kHz mono, a little more
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) std::_Exit(2);
  bool ok = true;
  {
    auto app = RecordApp::create(path, RecordChannels::Caller, std::make_unique<ToneApp>(8000, 440));
    if (!app) std::_Exit(3);
    const auto caller = test::sine(440, std::size_t{3} * 8000, 8000, 10000);
    std::vector<std::int16_t> out(160);
    for (std::size_t at = 0; at < caller.size(); at += 160) {
      (*app)->on_caller_audio(std::span(caller).subspan(at, 160));
      ok = ok && (*app)->fill(out);  // the call goes on
    }
    ok = ok && (*app)->write_errors() == 1 && !(*app)->recording() && !(*app)->write_error().empty();
    ok = ok && (*app)->frames_written() >= 8000 && (*app)->frames_written() < 16000;
    std::fprintf(stderr, "written %llu, errors %llu: %s\n", static_cast<unsigned long long>((*app)->frames_written()),
                 static_cast<unsigned long long>((*app)->write_errors()), (*app)->write_error().c_str());
  }
  std::_Exit(ok ? 0 : 1);
}

TEST(RecordApp, AFailedWriteIsCountedAndStopsTheRecordingNotTheCall) {
  const TempDir dir;
  EXPECT_EXIT(record_past_a_file_size_limit(dir / "full.wav"), testing::ExitedWithCode(0), "written 8[0-9]+, errors 1");
  const Wav kept = read_wav(dir / "full.wav");
  EXPECT_GE(kept.info.frames, 8000) << "what was written before the failure stays readable";
}

}  // namespace
}  // namespace voxgate::media
