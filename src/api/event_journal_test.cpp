#include "api/event_journal.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "api/json_codec.hpp"
#include "session/registry/in_memory_session_registry.hpp"

namespace voxgate::api {
namespace {

using session::SessionId;
using S = session::SessionState;
using C = session::TransitionCause;

session::NewSession inbound(const std::string& caller) {
  session::NewSession fields;
  fields.call_id = caller + "-call@host";
  fields.local_tag = "ours";
  fields.local = {"sip:gateway@voxgate.example", ""};
  fields.remote = {"sip:" + caller + "@example.com", caller};
  return fields;
}

class EventJournalTest : public ::testing::Test {
 protected:
  // A journal keeping `capacity` entries, its observer recording what it saw.
  void start(std::size_t capacity) {
    journal_ = std::make_unique<EventJournal>(*registry_, clock_, capacity, [this] { ++notified_; });
    journal_->add_observer([this](const JournalEntry& entry) { observed_.push_back(entry.sequence); });
    ASSERT_TRUE(journal_->start());
  }

  SessionId create(const std::string& caller) {
    auto record = registry_->create(inbound(caller));
    EXPECT_TRUE(record);
    return record ? record->id : SessionId();
  }

  std::vector<std::shared_ptr<const JournalEntry>> all() const { return journal_->since(0, 1000).entries; }

  static std::vector<std::string> types_of(const std::vector<std::shared_ptr<const JournalEntry>>& entries) {
    std::vector<std::string> types;
    types.reserve(entries.size());
    for (const auto& entry : entries) types.push_back(entry->type);
    return types;
  }

  ManualClock clock_;
  std::unique_ptr<session::InMemorySessionRegistry> registry_ =
      std::move(*session::InMemorySessionRegistry::create(clock_));
  std::atomic<int> notified_{0};
  std::vector<std::uint64_t> observed_;
  std::unique_ptr<EventJournal> journal_;  // after the registry: unsubscribes first
};

TEST_F(EventJournalTest, RegistryChangesBecomeSessionEntriesNumberedFromOne) {
  start(100);
  const SessionId id = create("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry_->set_metadata(id, "team", "a"));
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Remote, 0, "", C::Cancelled}));

  const auto entries = all();
  EXPECT_EQ(types_of(entries),
            (std::vector<std::string>{"session.created", "session.updated", "session.updated", "session.ended"}));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i]->sequence, i + 1);
    EXPECT_EQ(entries[i]->record.id, id);
    EXPECT_EQ(entries[i]->record.version, i + 1);
  }
  EXPECT_EQ(entries[1]->record.state, S::Ringing);
  EXPECT_EQ(entries[2]->record.metadata.at("team"), "a");
  EXPECT_EQ(entries[3]->record.state, S::Terminated);
  EXPECT_EQ(journal_->last_sequence(), 4U);
}

TEST_F(EventJournalTest, EntryJsonCarriesSeqTypeTimeAndTheSession) {
  start(100);
  const SessionId id = create("alice");
  const auto entry = all().at(0);
  const auto json = boost::json::parse(entry->json).as_object();
  EXPECT_EQ(json.at("seq"), 1);
  EXPECT_EQ(json.at("type"), "session.created");
  EXPECT_EQ(json.at("time").as_string(), format_time(clock_.wall_now()));
  EXPECT_EQ(json.at("session").at("id").as_string(), std::to_string(id.value()));
  EXPECT_EQ(json.at("session").at("state"), "initializing");
  EXPECT_EQ(json.at("session").at("from"), "sip:alice@example.com");
  EXPECT_FALSE(entry->totals);
}

TEST_F(EventJournalTest, CallEventsLandAfterTheRegistryChangesThatPrecededThem) {
  start(100);
  const SessionId id = create("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  journal_->on_call_event({id, session::CallEventKind::Dtmf, clock_.wall_now(), "5", "rfc4733", {}});
  ASSERT_TRUE(registry_->update_state(id, S::OnHold, C::HoldLocal));
  const session::MediaTotals totals{1500, 1490, 3, 12};
  journal_->on_call_event({id, session::CallEventKind::MediaStopped, clock_.wall_now(), "", "", totals});
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Local, 0, "", C::HangupLocal}));

  const auto entries = all();
  ASSERT_EQ(types_of(entries), (std::vector<std::string>{"session.created", "session.updated", "call.dtmf",
                                                         "session.updated", "call.media_stopped", "session.ended"}));
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i]->sequence, i + 1);

  const auto dtmf = boost::json::parse(entries[2]->json).as_object();
  EXPECT_EQ(dtmf.at("type"), "call.dtmf");
  EXPECT_EQ(dtmf.at("digit"), "5");
  EXPECT_EQ(dtmf.at("via"), "rfc4733");
  EXPECT_EQ(dtmf.at("session").at("state"), "connected");
  EXPECT_EQ(entries[2]->record.state, S::Connected);

  const auto& stopped = *entries[4];
  ASSERT_TRUE(stopped.totals);
  EXPECT_EQ(*stopped.totals, totals);
  EXPECT_EQ(stopped.record.state, S::OnHold);
  const auto rtp = boost::json::parse(stopped.json).as_object().at("rtp");
  EXPECT_EQ(rtp, (boost::json::object{
                     {"packets_sent", 1500}, {"packets_received", 1490}, {"packets_lost", 3}, {"jitter_ms", 12}}));
}

TEST_F(EventJournalTest, TransferEventsCarryTheirTargetAndStatusAndTheEndSaysTransferred) {
  start(100);
  const SessionId id = create("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->update_state(id, S::Transferring, C::TransferStarted));
  const std::string fields = R"({"target":"sip:desk@example.com","status":)";
  journal_->on_call_event({id, session::CallEventKind::TransferRequested, clock_.wall_now(), fields + "0}", "", {}});
  journal_->on_call_event({id, session::CallEventKind::TransferProgress, clock_.wall_now(), fields + "100}", "", {}});
  journal_->on_call_event({id, session::CallEventKind::TransferSucceeded, clock_.wall_now(), fields + "200}", "", {}});
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Local, 0, "", C::Transferred}));

  const auto entries = all();
  ASSERT_EQ(types_of(entries), (std::vector<std::string>{"session.created", "session.updated", "session.updated",
                                                         "call.transfer_requested", "call.transfer_progress",
                                                         "call.transfer_succeeded", "session.ended"}));
  const auto progress = boost::json::parse(entries[4]->json).as_object();
  EXPECT_EQ(progress.at("target"), "sip:desk@example.com");
  EXPECT_EQ(progress.at("status"), 100);
  EXPECT_EQ(progress.at("session").at("state"), "transferring");
  const auto ended = boost::json::parse(entries[6]->json).as_object();
  EXPECT_EQ(ended.at("session").at("end").at("cause"), "transferred");
}

TEST_F(EventJournalTest, CallEventOfAnUnknownSessionIsDropped) {
  start(100);
  journal_->on_call_event({SessionId(99), session::CallEventKind::TimerExpired, clock_.wall_now(), "", "", {}});
  EXPECT_TRUE(all().empty());
  EXPECT_EQ(journal_->last_sequence(), 0U);
}

TEST_F(EventJournalTest, SinceReturnsAtMostMaxEntriesAfterTheCursor) {
  start(100);
  for (const char* caller : {"a", "b", "c", "d", "e"}) create(caller);
  const auto slice = journal_->since(2, 2);
  ASSERT_EQ(slice.entries.size(), 2U);
  EXPECT_EQ(slice.entries[0]->sequence, 3U);
  EXPECT_EQ(slice.entries[1]->sequence, 4U);
  EXPECT_FALSE(slice.gap);
  EXPECT_EQ(slice.oldest, 1U);
  EXPECT_TRUE(journal_->since(5, 10).entries.empty());
  EXPECT_TRUE(journal_->since(50, 10).entries.empty());
}

TEST_F(EventJournalTest, EmptyJournalHasNothingAndNoGap) {
  start(4);
  const auto slice = journal_->since(0, 10);
  EXPECT_TRUE(slice.entries.empty());
  EXPECT_FALSE(slice.gap);
  EXPECT_EQ(slice.oldest, 0U);
}

TEST_F(EventJournalTest, KeepsTheNewestCapacityEntriesAndReportsAGapToACursorBeforeThem) {
  start(3);
  for (const char* caller : {"a", "b", "c", "d", "e"}) create(caller);  // seq 1..5; 3..5 kept

  const auto behind = journal_->since(1, 10);
  EXPECT_TRUE(behind.gap);
  EXPECT_EQ(behind.oldest, 3U);
  ASSERT_EQ(behind.entries.size(), 3U);
  EXPECT_EQ(behind.entries.front()->sequence, 3U);
  EXPECT_TRUE(journal_->since(0, 10).gap);

  const auto just_in_time = journal_->since(2, 10);  // entry 3 is the next it needs: nothing missed
  EXPECT_FALSE(just_in_time.gap);
  EXPECT_EQ(just_in_time.entries.size(), 3U);
  EXPECT_FALSE(journal_->since(4, 10).gap);
}

TEST_F(EventJournalTest, ObserversSeeEveryEntryInOrderEvenAfterTheRingDroppedThem) {
  start(2);
  const SessionId id = create("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  journal_->on_call_event({id, session::CallEventKind::MediaStarted, clock_.wall_now(), "PCMU/8000", "", {}});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(registry_->set_metadata(id, "n", std::to_string(i)));
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Remote, 0, "", C::HangupRemote}));

  EXPECT_EQ(observed_, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(all().size(), 2U);
  EXPECT_EQ(all().back()->type, "session.ended");
}

TEST_F(EventJournalTest, NotifyIsCalledWhenEntriesWereAppended) {
  start(10);
  EXPECT_EQ(notified_, 0);
  const SessionId id = create("alice");
  EXPECT_GE(notified_, 1);
  const int before = notified_;
  journal_->on_call_event({id, session::CallEventKind::Dtmf, clock_.wall_now(), "#", "sip-info", {}});
  EXPECT_GT(notified_, before);
}

TEST_F(EventJournalTest, RemovalAfterTheRetentionIsAnEntryToo) {
  start(10);
  const SessionId id = create("alice");
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::System, 0, "", C::Shutdown}));
  clock_.advance(std::chrono::hours(1));
  ASSERT_EQ(registry_->expire(), 1U);
  EXPECT_EQ(types_of(all()), (std::vector<std::string>{"session.created", "session.ended", "session.removed"}));
}

}  // namespace
}  // namespace voxgate::api
