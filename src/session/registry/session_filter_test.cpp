#include "session/registry/session_filter.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace voxgate::session {
namespace {

using std::chrono::seconds;

SessionRecord alice_calls_bob() {
  SessionRecord record;
  record.id = SessionId(7);
  record.call_id = "abc@host";
  record.direction = Direction::Inbound;
  record.local = Party{"sip:bob@voxgate.example", "Bob"};
  record.remote = Party{"sip:alice@example.com;transport=tcp", "Alice"};
  record.created = Clock::WallTime(seconds(1000));
  record.state = SessionState::Connected;
  record.metadata = {{"tenant", "acme"}, {"queue", "sales"}};
  return record;
}

TEST(SessionFilter, EmptyFilterMatchesEverything) {
  EXPECT_TRUE(SessionFilter{}.matches(alice_calls_bob()));
}

TEST(SessionFilter, StatesMatchAnyOfTheSet) {
  SessionFilter filter;
  filter.states = {SessionState::Ringing, SessionState::Connected};
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.states = {SessionState::Ringing, SessionState::OnHold};
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, DirectionMustBeEqual) {
  SessionFilter filter;
  filter.direction = Direction::Inbound;
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.direction = Direction::Outbound;
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, PartyIsACaseSensitiveSubstringOfEitherUri) {
  SessionFilter filter;
  filter.party = "alice@";
  EXPECT_TRUE(filter.matches(alice_calls_bob()));  // the remote party
  filter.party = "bob@voxgate";
  EXPECT_TRUE(filter.matches(alice_calls_bob()));  // the local party
  filter.party = "ALICE@";
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
  filter.party = "Alice";  // display names are not searched
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, FromIsTheCallerAndToTheCalleeWhicheverSideWeAre) {
  SessionRecord inbound = alice_calls_bob();  // Alice called us
  SessionFilter filter;
  filter.from = "alice@";
  EXPECT_TRUE(filter.matches(inbound));
  filter.from = "bob@";
  EXPECT_FALSE(filter.matches(inbound));
  filter = {};
  filter.to = "bob@";
  EXPECT_TRUE(filter.matches(inbound));

  SessionRecord outbound = inbound;  // we (Bob) called Alice
  outbound.direction = Direction::Outbound;
  EXPECT_FALSE(filter.matches(outbound));
  filter.to = "alice@";
  EXPECT_TRUE(filter.matches(outbound));
  filter = {};
  filter.from = "bob@";
  EXPECT_TRUE(filter.matches(outbound));
}

TEST(SessionFilter, EveryMetadataPairMustBePresentWithItsExactValue) {
  SessionFilter filter;
  filter.metadata = {{"tenant", "acme"}};
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.metadata = {{"tenant", "acme"}, {"queue", "sales"}};
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.metadata = {{"tenant", "acme"}, {"queue", "support"}};
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
  filter.metadata = {{"tenant", "acm"}};
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
  filter.metadata = {{"region", "eu"}};
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, CreatedBoundsAreExclusive) {
  SessionFilter filter;
  filter.created_after = Clock::WallTime(seconds(999));
  filter.created_before = Clock::WallTime(seconds(1001));
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.created_after = Clock::WallTime(seconds(1000));
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
  filter.created_after.reset();
  filter.created_before = Clock::WallTime(seconds(1000));
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, AllCriteriaMustHoldTogether) {
  SessionFilter filter;
  filter.states = {SessionState::Connected};
  filter.direction = Direction::Inbound;
  filter.party = "alice";
  filter.metadata = {{"tenant", "acme"}};
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
  filter.direction = Direction::Outbound;
  EXPECT_FALSE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, PagingDoesNotAffectMatching) {
  SessionFilter filter;
  filter.limit = 1;
  filter.cursor = SessionId(100);
  EXPECT_TRUE(filter.matches(alice_calls_bob()));
}

TEST(SessionFilter, LimitMustBeBetweenOneAndTheMaximum) {
  SessionFilter filter;
  EXPECT_TRUE(validate(filter));
  filter.limit = 0;
  EXPECT_EQ(validate(filter).error().code, Errc::InvalidArgument);
  filter.limit = SessionFilter::kMaxLimit + 1;
  EXPECT_EQ(validate(filter).error().code, Errc::InvalidArgument);
  filter.limit = SessionFilter::kMaxLimit;
  EXPECT_TRUE(validate(filter));
}

TEST(SessionFilter, MetadataKeyMustNotBeEmpty) {
  SessionFilter filter;
  filter.metadata = {{"", "x"}};
  EXPECT_EQ(validate(filter).error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace voxgate::session
