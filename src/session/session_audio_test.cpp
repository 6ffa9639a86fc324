#include "session/session_audio.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "media/apps/basic_apps.hpp"

namespace voxgate::session {
namespace {

struct Sink final : SessionAudioSink {
  void on_caller_pcm(std::span<const std::int16_t> frame, int /*sample_rate*/) override { frames += frame.size(); }
  void on_media_app_finished() override { ++finished; }
  void on_queued_audio_played(std::size_t samples, std::size_t still_queued) override {
    played.emplace_back(samples, still_queued);
  }
  std::size_t frames = 0;
  std::vector<std::pair<std::size_t, std::size_t>> played;  // (samples, still queued) per frame
  int finished = 0;
};

// A media app that says "1" for `frames` frames, then is done.
class Prompt final : public media::MediaApp {
 public:
  explicit Prompt(int frames) : left_(frames) {}
  [[nodiscard]] int sample_rate() const noexcept override { return 8000; }
  void on_caller_audio(std::span<const std::int16_t> /*frame*/) override {}
  [[nodiscard]] bool listens() const noexcept override { return false; }
  bool fill(std::span<std::int16_t> frame) override {
    if (left_-- <= 0) return false;
    std::fill(frame.begin(), frame.end(), std::int16_t{1});
    return true;
  }

 private:
  int left_;
};

TEST(SessionAudio, QueuedAudioPlaysInOrderBeforeTheMediaAppAndThePartialLastFrameIsPaddedWithSilence) {
  Sink sink;
  SessionAudio audio(8000, sink);
  ASSERT_TRUE(audio.attach(std::make_unique<Prompt>(100)));
  std::vector<std::int16_t> pcm(250);
  std::iota(pcm.begin(), pcm.end(), std::int16_t{100});
  ASSERT_TRUE(audio.queue(pcm));
  std::vector<std::int16_t> frame(160);
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_EQ(frame.front(), 100);
  EXPECT_EQ(frame.back(), 259);
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_EQ(frame[89], 349);
  EXPECT_EQ(frame[90], 0) << "padded";
  EXPECT_EQ(audio.queued_samples(), 0U);
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_EQ(frame[0], 1) << "the media app again";
  using Played = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(sink.played, (Played{{160, 90}, {90, 0}})) << "the media app's frame is not queued audio";
}

TEST(SessionAudio, ClearingTheQueueDropsWhatWasNotSent) {
  Sink sink;
  SessionAudio audio(8000, sink);
  ASSERT_TRUE(audio.queue(std::vector<std::int16_t>(800, 7)));
  std::vector<std::int16_t> frame(160);
  ASSERT_TRUE(audio.fill(frame));
  audio.clear_queue();
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_EQ(frame[0], 0) << "silence without a media app";
}

TEST(SessionAudio, RefusesMoreThanTheQueueLimitAndKeepsWhatWasQueued) {
  Sink sink;
  SessionAudio audio(8000, sink);
  const std::size_t limit = static_cast<std::size_t>(SessionAudio::kMaxQueued.count()) * 8000;
  ASSERT_TRUE(audio.queue(std::vector<std::int16_t>(limit - 10, 1)));
  EXPECT_FALSE(audio.queue(std::vector<std::int16_t>(11, 1)));
  EXPECT_EQ(audio.queued_samples(), limit - 10);
  // Played audio makes room again.
  std::vector<std::int16_t> frame(160);
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_TRUE(audio.queue(std::vector<std::int16_t>(150, 1)));
  EXPECT_EQ(audio.queued_samples(), limit - 10 - 160 + 150);
}

TEST(SessionAudio, AFinishedMediaAppIsDetachedAndReportedOrEndsTheStreamWhenAsked) {
  Sink sink;
  SessionAudio audio(8000, sink);
  ASSERT_TRUE(audio.attach(std::make_unique<Prompt>(1)));
  std::vector<std::int16_t> frame(160);
  ASSERT_TRUE(audio.fill(frame));
  EXPECT_TRUE(audio.fill(frame)) << "the session goes on";
  EXPECT_EQ(sink.finished, 1);
  EXPECT_FALSE(audio.has_app());

  audio.end_when_app_finishes(true);
  ASSERT_TRUE(audio.attach(std::make_unique<Prompt>(0)));
  EXPECT_FALSE(audio.fill(frame)) << "the stream ends";
}

TEST(SessionAudio, CallerAudioReachesTheSinkOnlyWhenForwardedAndAnAppOfAnotherRateIsRefused) {
  Sink sink;
  SessionAudio audio(8000, sink);
  std::vector<std::int16_t> frame(160, 5);
  audio.on_caller_audio(frame);
  EXPECT_EQ(sink.frames, 0U);
  EXPECT_FALSE(audio.listens());
  audio.forward_caller_audio(true);
  EXPECT_TRUE(audio.listens());
  audio.on_caller_audio(frame);
  EXPECT_EQ(sink.frames, 160U);
  EXPECT_FALSE(audio.attach(std::make_unique<media::EchoApp>(16000)));
}

}  // namespace
}  // namespace voxgate::session
