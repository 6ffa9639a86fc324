#include "bot/pipeline/conversation.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bot/agent/menu_agent.hpp"
#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using namespace test;

class ConversationTest : public ::testing::Test {
 protected:
  void make(std::unique_ptr<Agent> agent = nullptr, const ConversationConfig& config = {}) {
    if (agent == nullptr) agent = std::move(*MenuAgent::create(demo_menu()));
    auto stt = std::make_unique<FakeStt>(&caller_says_);
    stt_ = stt.get();
    conversation_ = std::make_unique<Conversation>(
        config, ConversationProviders{std::make_unique<FakeVad>(), std::move(stt), &tts_, std::move(agent)}, out_,
        clock_);
  }
  // `duration` of caller frames, speech or silence, 20 ms apart.
  void caller(std::chrono::milliseconds duration, bool speech) {
    const std::vector<std::int16_t> frame(kFrame, speech ? 3000 : 0);
    for (auto t = 0ms; t < duration; t += 20ms) {
      clock_.advance(20ms);
      conversation_->on_caller_frame(frame);
    }
  }
  // The call plays every chunk queued so far.
  void play_all() {
    for (std::size_t i = reported_; i < out_.played.size(); ++i) {
      conversation_->on_chunk_started(out_.played[i].chunk, 1ms);
      conversation_->on_chunk_played(out_.played[i].chunk);
    }
    reported_ = out_.played.size();
  }
  [[nodiscard]] std::string said_since(std::size_t from) const {
    std::string text;
    for (std::size_t i = from; i < out_.played.size(); ++i) text += out_.played[i].text + "|";
    return text;
  }

  ManualClock clock_;
  Recorder out_;
  FakeTts tts_;
  FakeStt* stt_ = nullptr;
  std::string caller_says_;
  std::unique_ptr<Conversation> conversation_;
  std::size_t reported_ = 0;
};

TEST_F(ConversationTest, GreetsInSentenceChunksAndListensOnlyOnceTheLastChunkWasPlayed) {
  make();
  conversation_->start();
  ASSERT_GE(out_.played.size(), 2U) << "one chunk per sentence";
  EXPECT_EQ(out_.played[0].text, "Welcome to voxgate.");
  EXPECT_TRUE(out_.played[0].starts_reply);
  EXPECT_FALSE(out_.played[1].starts_reply);
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  EXPECT_EQ(stt_->expected, (std::vector<std::string>{"sales", "support", "goodbye"}));
  conversation_->on_chunk_played(out_.played[0].chunk);
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  play_all();
  EXPECT_EQ(conversation_->state(), BotState::Listening);
}

TEST_F(ConversationTest, ASpokenPhraseAfterTheEndpointSilenceGetsTheMatchingPromptAndATurnBreakdown) {
  make();
  conversation_->start();
  play_all();
  caller_says_ = "sales";
  caller(600ms, true);
  caller(480ms, false);
  EXPECT_EQ(conversation_->state(), BotState::Listening) << "480 ms of silence is not yet the end of the turn";
  const std::size_t before = out_.played.size();
  caller(20ms, false);
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  EXPECT_EQ(said_since(before), "This is sales.|Say main menu to go back, or goodbye.|");
  EXPECT_GE(stt_->fed, 600U * 8) << "the pre-roll and every speech frame reached the recogniser";
  const auto* transcript = out_.last("bot.transcript");
  ASSERT_NE(transcript, nullptr);
  EXPECT_EQ(transcript->at("text").as_string(), "sales");
  EXPECT_TRUE(transcript->at("final").as_bool());
  play_all();
  const auto* turn = out_.last("bot.turn");
  ASSERT_NE(turn, nullptr);
  EXPECT_EQ(turn->at("input").as_string(), "speech");
  EXPECT_DOUBLE_EQ(turn->at("endpoint_ms").as_double(), 500.0);
  EXPECT_DOUBLE_EQ(turn->at("queue_ms").as_double(), 1.0);
  EXPECT_DOUBLE_EQ(turn->at("response_ms").as_double(), 500.0) << "the manual clock stood still after the endpoint";
}

TEST_F(ConversationTest, SpeechOfTheBargeInLengthFlushesTheBotAndAShorterNoiseDoesNot) {
  make();
  conversation_->start();
  caller(100ms, true);  // speech starts (100 ms) but is shorter than the 200 ms barge-in
  caller(600ms, false);
  EXPECT_EQ(out_.clears, 0);
  EXPECT_EQ(conversation_->state(), BotState::Speaking) << "a cough does not interrupt, nor become a turn";
  caller(200ms, true);
  EXPECT_EQ(out_.clears, 1);
  EXPECT_EQ(conversation_->state(), BotState::Listening);
  HeardReport heard;
  heard.samples_played = 8000 + 1600;
  heard.text_heard = "Welcome to voxgate.";
  heard.text_unheard = "Say sales, support or goodbye.";
  conversation_->on_heard(heard, kRate);
  const auto* barge = out_.last("bot.barge_in");
  ASSERT_NE(barge, nullptr);
  EXPECT_DOUBLE_EQ(barge->at("heard_ms").as_double(), 1200.0);
  EXPECT_EQ(barge->at("text_heard").as_string(), "Welcome to voxgate.");
  caller_says_ = "support";
  caller(500ms, false);
  EXPECT_EQ(out_.played.back().text, "Say main menu to go back, or goodbye.") << "the interrupting words are the turn";
}

TEST_F(ConversationTest, AKeyInterruptsThePromptAndSelectsItsBranch) {
  make();
  conversation_->start();
  conversation_->on_dtmf('2');
  EXPECT_EQ(out_.clears, 1);
  EXPECT_EQ(out_.played.back().text, "Say main menu to go back, or goodbye.");
  EXPECT_EQ(out_.played[out_.played.size() - 2].text, "This is support.");
  play_all();
  EXPECT_EQ(out_.last("bot.turn")->at("input").as_string(), "dtmf");
}

TEST_F(ConversationTest, GoodbyeHangsUpAfterItsLastWordsArePlayedAndTheyCannotBeInterrupted) {
  make();
  conversation_->start();
  play_all();
  conversation_->on_dtmf('#');
  EXPECT_EQ(out_.played.back().text, "Goodbye.");
  EXPECT_EQ(out_.hangups, 0);
  conversation_->on_dtmf('1');
  caller(400ms, true);
  EXPECT_EQ(out_.clears, 0);
  play_all();
  EXPECT_EQ(out_.hangups, 1);
  EXPECT_EQ(conversation_->state(), BotState::Ended);
}

TEST_F(ConversationTest, SilenceRepromptsAtTheConfiguredTimeCountingOnlyListeningTimeThenHangsUp) {
  ConversationConfig config;
  config.inactivity = InactivityConfig{3000ms, 1, 7000ms};
  make(nullptr, config);
  conversation_->start();
  clock_.advance(10s);  // the greeting plays: not the caller's silence
  play_all();
  const auto listening_since = clock_.now();
  ASSERT_EQ(conversation_->next_deadline(), listening_since + 3s);
  clock_.advance(3s);
  const std::size_t before = out_.played.size();
  conversation_->on_timer();
  EXPECT_EQ(out_.played[before].text, "Are you still there?");
  play_all();
  EXPECT_EQ(conversation_->state(), BotState::Listening);
  ASSERT_EQ(conversation_->next_deadline(), listening_since + 7s);
  clock_.advance(4s);
  conversation_->on_timer();
  EXPECT_EQ(out_.hangups, 1);
  EXPECT_EQ(out_.last("bot.hangup")->at("reason").as_string(), "inactivity");
}

TEST_F(ConversationTest, AFailingAgentGetsTheFallbackPromptAndTheCallGoesOn) {
  make(std::make_unique<FailingAgent>());
  conversation_->start();
  EXPECT_EQ(conversation_->state(), BotState::Listening) << "nothing to say: listening at once";
  conversation_->on_dtmf('1');
  ASSERT_FALSE(out_.played.empty());
  EXPECT_EQ(out_.played.back().text, "Sorry, something went wrong on our side.");
  EXPECT_EQ(out_.last("bot.agent_error")->at("message").as_string(), "agent timed out");
  play_all();
  EXPECT_EQ(conversation_->state(), BotState::Listening);
}

TEST_F(ConversationTest, InterimWordsInterruptTheBotBeforeTheBargeInLength) {
  ConversationConfig config;
  config.barge_in = 2000ms;
  config.barge_in_words = 1;
  make(nullptr, config);
  conversation_->start();
  caller(300ms, true);
  EXPECT_EQ(out_.clears, 0) << "speech without a recognised word";
  stt_->interim = "sales";
  caller(20ms, true);
  EXPECT_EQ(out_.clears, 1);
  EXPECT_EQ(conversation_->state(), BotState::Listening);
}

TEST_F(ConversationTest, WithOnlyWordsAsTheTriggerLongSpeechWithoutEnoughWordsDoesNotInterrupt) {
  ConversationConfig config;
  config.barge_in = 0ms;
  config.barge_in_words = 2;
  make(nullptr, config);
  conversation_->start();
  stt_->interim = "sales";
  caller(2000ms, true);
  EXPECT_EQ(out_.clears, 0) << "one word of two, however long the speech";
  stt_->interim = "sales please";
  caller(20ms, true);
  EXPECT_EQ(out_.clears, 1);
}

TEST_F(ConversationTest, ASayIsSpokenAfterWhatIsQueuedAndReportsPlayedOnceItsLastChunkWasPlayed) {
  make();
  conversation_->start();
  const std::size_t greeting = out_.played.size();
  ASSERT_TRUE(conversation_->say("h1", "Your order shipped. It arrives Monday."));
  ASSERT_EQ(out_.played.size(), greeting + 2);
  EXPECT_TRUE(out_.played[greeting].starts_reply) << "the ledger counts what was heard of the say on its own";
  EXPECT_FALSE(out_.played[greeting + 1].starts_reply);
  for (std::size_t i = 0; i + 1 < out_.played.size(); ++i) conversation_->on_chunk_played(out_.played[i].chunk);
  EXPECT_TRUE(out_.said().empty()) << "its last chunk is not played yet";
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  play_all();
  EXPECT_EQ(out_.said(), (std::vector<std::string>{"h1=played"}));
  EXPECT_EQ(conversation_->state(), BotState::Listening);
}

TEST_F(ConversationTest, CancellingASayFlushesTheBotAtOnceAndReportsItCancelled) {
  make();
  conversation_->start();
  play_all();
  ASSERT_TRUE(conversation_->say("h2", "One. Two. Three."));
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  EXPECT_TRUE(conversation_->cancel_say("h2"));
  EXPECT_EQ(out_.clears, 1);
  EXPECT_EQ(out_.said(), (std::vector<std::string>{"h2=cancelled"}));
  EXPECT_EQ(conversation_->state(), BotState::Listening);
  EXPECT_FALSE(conversation_->cancel_say("h2")) << "already over";
  EXPECT_FALSE(conversation_->cancel_say("nobody"));
  HeardReport heard;
  heard.samples_played = 800;
  heard.text_heard = "One.";
  conversation_->on_heard(heard, kRate);
  ASSERT_NE(out_.last("bot.cancelled"), nullptr);
  EXPECT_EQ(out_.last("bot.cancelled")->at("text_heard").as_string(), "One.");
  EXPECT_EQ(out_.last("bot.barge_in"), nullptr) << "a cancel is not the caller interrupting";
}

TEST_F(ConversationTest, ABargeInOrTheCallsEndInterruptsTheSaysStillQueued) {
  make();
  conversation_->start();
  ASSERT_TRUE(conversation_->say("a", "First."));
  caller(200ms, true);
  EXPECT_EQ(out_.said(), (std::vector<std::string>{"a=interrupted"}));
  ASSERT_TRUE(conversation_->say("b", "Second."));
  conversation_->end();
  EXPECT_EQ(out_.said(), (std::vector<std::string>{"a=interrupted", "b=interrupted"}));
  EXPECT_FALSE(conversation_->say("c", "Too late.")) << "the call is over";
}

TEST_F(ConversationTest, ADraftAskedAtAPauseIsPlayedAtTheEndOfTheTurnWhenTheFinalTranscriptMatches) {
  auto owned = std::make_unique<DraftingAgent>();
  DraftingAgent& agent = *owned;
  ConversationConfig config;
  config.preemptive_after = 200ms;
  make(std::move(owned), config);
  conversation_->start();
  stt_->interim = "sales";
  caller(400ms, true);
  caller(180ms, false);
  EXPECT_TRUE(agent.drafts.empty()) << "not yet 200 ms of silence";
  caller(20ms, false);
  ASSERT_EQ(agent.drafts, std::vector<std::string>{"sales"});
  agent.draft_sink->on_text("This is sales.");
  EXPECT_TRUE(out_.played.empty()) << "a draft is held until the turn ends";
  caller_says_ = "sales";
  caller(300ms, false);
  EXPECT_EQ(agent.commits, 1);
  EXPECT_TRUE(agent.responded.empty()) << "the draft was the turn";
  ASSERT_EQ(out_.played.size(), 1U);
  EXPECT_EQ(out_.played[0].text, "This is sales.");
  EXPECT_EQ(conversation_->state(), BotState::Speaking);
  agent.draft_sink->on_done(AgentDirective{});
  play_all();
  EXPECT_EQ(conversation_->state(), BotState::Listening);
  ASSERT_NE(out_.last("bot.turn"), nullptr);
  EXPECT_TRUE(out_.last("bot.turn")->at("preemptive").as_bool());
  EXPECT_DOUBLE_EQ(out_.last("bot.turn")->at("agent_ms").as_double(), 0.0) << "the reply was in hand";
  EXPECT_EQ(out_.last("bot.draft")->at("outcome").as_string(), "used");
}

TEST_F(ConversationTest, ADraftOfOtherWordsThanTheFinalTranscriptIsCancelledAndNeverHeard) {
  auto owned = std::make_unique<DraftingAgent>();
  DraftingAgent& agent = *owned;
  ConversationConfig config;
  config.preemptive_after = 200ms;
  make(std::move(owned), config);
  conversation_->start();
  stt_->interim = "sales";
  caller(400ms, true);
  caller(200ms, false);
  ASSERT_EQ(agent.drafts.size(), 1U);
  AgentReplySink* draft = agent.draft_sink;
  caller_says_ = "support";
  caller(300ms, false);
  EXPECT_EQ(agent.cancels, 1);
  EXPECT_EQ(agent.responded, std::vector<std::string>{"support"});
  draft->on_text("This is sales.");  // too late: dropped
  draft->on_done(AgentDirective{});
  ASSERT_EQ(out_.played.size(), 1U);
  EXPECT_EQ(out_.played[0].text, "Answer to support.");
  EXPECT_EQ(out_.last("bot.draft")->at("outcome").as_string(), "discarded");
  EXPECT_FALSE(out_.last("bot.turn") != nullptr && out_.last("bot.turn")->at("preemptive").as_bool());
}

TEST_F(ConversationTest, AgentsThatCannotDraftAreAskedOnlyAtTheEndOfTheTurn) {
  ConversationConfig config;
  config.preemptive_after = 200ms;
  make(nullptr, config);  // the menu answers at once: no drafts
  conversation_->start();
  play_all();
  stt_->interim = "sales";
  caller(400ms, true);
  caller(300ms, false);
  EXPECT_EQ(out_.last("bot.draft"), nullptr);
}

}  // namespace
}  // namespace voxgate::bot
