#include "bot/conversation/playout_ledger.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

constexpr std::size_t kFrame = 160;  // 20 ms at 8 kHz

TEST(PlayoutLedger, ABargeInReportsTheSamplesPlayedToTheFrameAndTheWordsHeard) {
  PlayoutLedger ledger;
  ledger.queue("Welcome to voxgate.", 10 * kFrame);
  ledger.queue("Say sales, support or billing.", 20 * kFrame);
  for (int i = 0; i < 15; ++i) EXPECT_TRUE(ledger.played(kFrame).empty());
  const HeardReport heard = ledger.flush();
  EXPECT_EQ(heard.samples_played, 15 * kFrame);
  EXPECT_EQ(heard.samples_queued, 30 * kFrame);
  // A quarter of the second chunk: one of its five words.
  EXPECT_EQ(heard.text_heard, "Welcome to voxgate. Say");
  EXPECT_EQ(heard.text_unheard, "sales, support or billing.");
  EXPECT_TRUE(ledger.empty());
  EXPECT_EQ(ledger.queued_samples(), 0U);
}

TEST(PlayoutLedger, MarksAreReachedInOrderOnceTheAudioBeforeThemPlayed) {
  PlayoutLedger ledger;
  ledger.queue("one", 2 * kFrame);
  ledger.queue_mark("after-one");
  ledger.queue("two", kFrame);
  ledger.queue_mark("after-two");
  ledger.queue_mark("right-after");
  EXPECT_TRUE(ledger.played(kFrame).empty());
  EXPECT_EQ(ledger.played(kFrame), std::vector<std::string>{"after-one"});
  EXPECT_EQ(ledger.played(kFrame), (std::vector<std::string>{"after-two", "right-after"}));
  EXPECT_TRUE(ledger.empty());
}

TEST(PlayoutLedger, AFlushDropsTheMarksNotReachedAndForgetsWhatItReported) {
  PlayoutLedger ledger;
  ledger.queue("long prompt", 50 * kFrame);
  ledger.queue_mark("end-of-prompt");
  (void)ledger.played(kFrame);
  HeardReport heard = ledger.flush();
  EXPECT_EQ(heard.marks_dropped, std::vector<std::string>{"end-of-prompt"});
  EXPECT_EQ(heard.text_heard, "");
  EXPECT_EQ(heard.text_unheard, "long prompt");
  heard = ledger.flush();
  EXPECT_EQ(heard.samples_queued, 0U);
  EXPECT_EQ(heard.text_heard, "");
}

TEST(PlayoutLedger, AQueueThatRanDryIgnoresTheExtraSamplesAndReportsEverythingHeard) {
  PlayoutLedger ledger;
  ledger.queue("short", kFrame / 2);
  EXPECT_TRUE(ledger.played(kFrame).empty());
  EXPECT_EQ(ledger.queued_samples(), 0U);
  const HeardReport heard = ledger.flush();
  EXPECT_EQ(heard.samples_played, kFrame / 2);
  EXPECT_EQ(heard.text_heard, "short");
  EXPECT_EQ(heard.text_unheard, "");
}

TEST(HeardWords, TakesWholeWordsInProportionRoundedDown) {
  EXPECT_EQ(heard_words("a b c d", 0, 4), "");
  EXPECT_EQ(heard_words("a b c d", 1, 4), "a");
  EXPECT_EQ(heard_words("a b c d", 3, 4), "a b c");
  EXPECT_EQ(heard_words("a b c d", 4, 4), "a b c d");
  EXPECT_EQ(heard_words("  spaced   out  ", 1, 2), "spaced");
  EXPECT_EQ(heard_words("", 1, 2), "");
}

}  // namespace
}  // namespace voxgate::bot
