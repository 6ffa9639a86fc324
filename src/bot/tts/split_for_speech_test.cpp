#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bot/tts/speech_synthesizer.hpp"

namespace voxgate::bot {
namespace {

std::vector<std::string> split(std::string_view text, std::size_t max_chars) {
  const auto chunks = split_for_speech(text, max_chars);
  return {chunks.begin(), chunks.end()};
}

using Chunks = std::vector<std::string>;

TEST(SplitForSpeech, GivesEachSentenceItsOwnChunk) {
  EXPECT_EQ(split("Hello. Welcome to Acme! How can I help?", 100),
            (Chunks{"Hello.", "Welcome to Acme!", "How can I help?"}));
}

TEST(SplitForSpeech, KeepsAShortTextWithoutFinalPunctuationWhole) {
  EXPECT_EQ(split("  say sales or support  ", 100), (Chunks{"say sales or support"}));
}

TEST(SplitForSpeech, GivesNothingForBlankText) {
  EXPECT_TRUE(split("", 10).empty());
  EXPECT_TRUE(split(" \n\t ", 10).empty());
}

TEST(SplitForSpeech, CutsALongSentenceAtItsLastClauseMarkWithinTheLimit) {
  EXPECT_EQ(split("For sales press one, for support press two, for billing press three.", 45),
            (Chunks{"For sales press one, for support press two,", "for billing press three."}));
  EXPECT_EQ(split("Opening hours: nine to five; closed on Sundays.", 30),
            (Chunks{"Opening hours: nine to five;", "closed on Sundays."}));
}

TEST(SplitForSpeech, FallsBackToTheLastWordBreakWhenNoClauseMarkFits) {
  EXPECT_EQ(split("the quick brown fox jumps over the lazy dog", 20),
            (Chunks{"the quick brown fox", "jumps over the lazy", "dog"}));
}

TEST(SplitForSpeech, PrefersAFullerChunkToAClauseMarkNearTheStart) {
  EXPECT_EQ(split("Well, the quick brown fox jumps over the lazy dog", 30),
            (Chunks{"Well, the quick brown fox", "jumps over the lazy dog"}));
}

TEST(SplitForSpeech, NeverCutsInsideAWordEvenOneLongerThanTheLimit) {
  EXPECT_EQ(split("see supercalifragilisticexpialidocious now", 10),
            (Chunks{"see", "supercalifragilisticexpialidocious", "now"}));
}

TEST(SplitForSpeech, KeepsEveryChunkWithinTheLimitWhenTheWordsAllow) {
  const std::string text =
      "Thank you for calling Acme Corporation, where your satisfaction is our priority; "
      "please listen carefully, as our menu options have recently changed. "
      "If you know your party's extension, you may dial it at any time.";
  for (const std::size_t limit : {20u, 40u, 60u, 80u}) {
    const auto chunks = split_for_speech(text, limit);
    std::string rejoined;
    for (const auto chunk : chunks) {
      EXPECT_LE(chunk.size(), limit) << chunk;
      EXPECT_FALSE(chunk.empty());
      rejoined += rejoined.empty() ? "" : " ";
      rejoined += chunk;
    }
    EXPECT_EQ(rejoined, text) << "nothing lost, only cut at spaces";
  }
}

TEST(SplitForSpeech, DoesNotEndASentenceInsideNumbersAddressesOrTitles) {
  EXPECT_EQ(split("Dr. Smith charges 3.5 dollars, see acme.com for details. Bye.", 100),
            (Chunks{"Dr. Smith charges 3.5 dollars, see acme.com for details.", "Bye."}));
}

TEST(SplitForSpeech, KeepsClosingQuotesAndEllipsesWithTheirSentence) {
  EXPECT_EQ(split("He said \"yes.\" Then... silence!", 100), (Chunks{"He said \"yes.\"", "Then...", "silence!"}));
}

}  // namespace
}  // namespace voxgate::bot
