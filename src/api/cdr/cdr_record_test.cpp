#include "api/cdr/cdr_record.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "session/registry/in_memory_session_registry.hpp"

namespace voxgate::api {
namespace {

using std::chrono::seconds;
using S = session::SessionState;
using C = session::TransitionCause;

session::NewSession inbound_call() {
  session::NewSession fields;
  fields.call_id = "abc@host.example";
  fields.local_tag = "ours";
  fields.direction = session::Direction::Inbound;
  fields.local = session::Party{"sip:gateway@voxgate.example", "Gateway"};
  fields.remote = session::Party{"sip:alice@example.com", "Alice"};
  fields.metadata = {{"tenant", "acme"}};
  return fields;
}

class CdrFromTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  std::unique_ptr<session::InMemorySessionRegistry> registry_ =
      std::move(*session::InMemorySessionRegistry::create(clock_));
};

TEST_F(CdrFromTest, CopiesEveryFieldTheRegistryKeptOfAnAnsweredCall) {
  const auto created = registry_->create(inbound_call());
  ASSERT_TRUE(created);
  const session::SessionId id = created->id;
  clock_.advance(seconds(3));
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->set_media(id, session::MediaSummary{"PCMU/8000", "192.0.2.10:40000"}));
  clock_.advance(seconds(42));
  const auto ended =
      registry_->end(id, session::EndInfo{session::EndedBy::Remote, 0, "Q.850;cause=16", C::HangupRemote});
  ASSERT_TRUE(ended);

  const CallDetailRecord cdr = cdr_from(*ended);
  EXPECT_EQ(cdr.session_id, id);
  EXPECT_EQ(cdr.call_id, "abc@host.example");
  EXPECT_EQ(cdr.direction, session::Direction::Inbound);
  EXPECT_EQ(cdr.local, (session::Party{"sip:gateway@voxgate.example", "Gateway"}));
  EXPECT_EQ(cdr.remote, (session::Party{"sip:alice@example.com", "Alice"}));
  EXPECT_EQ(cdr.created, created->created);
  EXPECT_EQ(cdr.answered, created->created + seconds(3));
  EXPECT_EQ(cdr.ended, created->created + seconds(45));
  EXPECT_EQ(cdr.duration, seconds(42));
  EXPECT_EQ(cdr.ended_by, session::EndedBy::Remote);
  EXPECT_EQ(cdr.sip_status, 0);
  EXPECT_EQ(cdr.reason, "Q.850;cause=16");
  EXPECT_EQ(cdr.cause, "hangup-remote");
  EXPECT_EQ(cdr.codec, "PCMU/8000");
  EXPECT_EQ(cdr.remote_rtp, "192.0.2.10:40000");
  EXPECT_EQ(cdr.metadata, (session::Metadata{{"tenant", "acme"}}));
  // Only the media knows these; the caller fills them.
  EXPECT_EQ(cdr.packets_sent, 0U);
  EXPECT_EQ(cdr.packets_received, 0U);
  EXPECT_EQ(cdr.packets_lost, 0);
  EXPECT_EQ(cdr.jitter_ms, 0.0);
}

TEST_F(CdrFromTest, ACallNeverAnsweredHasNoAnswerTimeAndZeroDuration) {
  const auto created = registry_->create(inbound_call());
  ASSERT_TRUE(created);
  ASSERT_TRUE(registry_->update_state(created->id, S::Ringing, C::ProvisionalSent));
  clock_.advance(seconds(7));
  const auto ended = registry_->end(created->id, session::EndInfo{session::EndedBy::Local, 486, "", C::Rejected});
  ASSERT_TRUE(ended);

  const CallDetailRecord cdr = cdr_from(*ended);
  EXPECT_FALSE(cdr.answered);
  EXPECT_EQ(cdr.ended, created->created + seconds(7));
  EXPECT_EQ(cdr.duration, Clock::Duration::zero());
  EXPECT_EQ(cdr.ended_by, session::EndedBy::Local);
  EXPECT_EQ(cdr.sip_status, 486);
  EXPECT_EQ(cdr.cause, "rejected");
  EXPECT_TRUE(cdr.codec.empty() && cdr.remote_rtp.empty());
}

TEST(CdrFrom, AWallClockSteppingBackBetweenAnswerAndEndGivesZeroDurationNotNegative) {
  session::SessionRecord record;
  record.created = Clock::WallTime(seconds(1'000));
  record.answered = Clock::WallTime(seconds(1'010));
  record.ended = Clock::WallTime(seconds(1'005));
  record.end_info = session::EndInfo{};
  EXPECT_EQ(cdr_from(record).duration, Clock::Duration::zero());
}

}  // namespace
}  // namespace voxgate::api
