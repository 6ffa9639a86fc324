// The registry's packed form of a session (detail/packed_record.hpp): every
// field survives packing, reads without unpacking agree with the record, and
// a filter matches a packed record exactly when it matches the record.

#include "session/registry/detail/packed_record.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "session/registry/detail/filter_match.hpp"
#include "session/registry/session_filter.hpp"

namespace voxgate::session::detail {
namespace {

using std::chrono::seconds;

// Every optional set, strings longer than std::string keeps inline, an
// empty metadata value, a NUL inside a string.
SessionRecord everything() {
  SessionRecord record;
  record.id = SessionId(123'456'789);
  record.call_id = "a84b4c76e66710@pc33.atlanta.example.com";
  record.local_tag = "1928301774";
  record.remote_tag = std::string("a6c85cf\0tail", 12);
  record.direction = Direction::Outbound;
  record.local = Party{"sip:gateway@voxgate.example.com", "voxgate"};
  record.remote = Party{"sip:+15551234567@carrier.example.net;user=phone", "A caller with a long display name"};
  record.created = Clock::WallTime(seconds(1'700'000'000));
  record.answered = record.created + seconds(3);
  record.ended = record.created + seconds(60);
  record.state = SessionState::Terminated;
  record.media_state = MediaState::None;
  record.last_cause = TransitionCause::HangupRemote;
  record.end_info = EndInfo{EndedBy::Remote, 486, "SIP;cause=486;text=\"Busy Here\"", TransitionCause::HangupRemote};
  record.media = MediaSummary{"PCMU/8000", "198.51.100.7:40000"};
  record.metadata = {{"tenant", "acme"}, {"campaign", "spring-2026"}, {"empty", ""}, {"z-last", "v"}};
  record.version = 42;
  return record;
}

TEST(PackedRecord, KeepsEveryField) {
  const SessionRecord record = everything();
  EXPECT_EQ(PackedRecord(record).unpack(), record);
}

TEST(PackedRecord, KeepsAnEmptyRecord) {
  const SessionRecord record;
  const PackedRecord packed(record);
  EXPECT_EQ(packed.unpack(), record);
  EXPECT_EQ(packed.metadata_size(), 0U);
  EXPECT_FALSE(packed.metadata("anything"));
}

TEST(PackedRecord, KeepsUnsetOptionalsUnset) {
  SessionRecord record = everything();
  record.answered.reset();
  record.ended.reset();
  record.last_cause.reset();
  record.end_info.reset();
  record.media.reset();
  const SessionRecord unpacked = PackedRecord(record).unpack();
  EXPECT_EQ(unpacked, record);
  EXPECT_FALSE(unpacked.end_info || unpacked.media || unpacked.answered || unpacked.ended || unpacked.last_cause);
}

TEST(PackedRecord, ReadsFieldsWithoutUnpacking) {
  const SessionRecord record = everything();
  const PackedRecord packed(record);
  EXPECT_EQ(packed.id(), record.id.value());
  EXPECT_EQ(packed.state(), record.state);
  EXPECT_EQ(packed.direction(), record.direction);
  EXPECT_EQ(packed.created(), record.created);
  EXPECT_EQ(packed.local_uri(), record.local.uri);
  EXPECT_EQ(packed.remote_uri(), record.remote.uri);
  ASSERT_EQ(packed.metadata_size(), record.metadata.size());
  std::size_t i = 0;
  for (const auto& [key, value] : record.metadata) {  // in key order
    EXPECT_EQ(packed.metadata_key(i), key);
    EXPECT_EQ(packed.metadata_value(i), value);
    ++i;
  }
}

TEST(PackedRecord, FindsMetadataByKey) {
  SessionRecord record = everything();
  for (int k = 0; k < 64; ++k) record.metadata["k" + std::to_string(k)] = "v" + std::to_string(k);
  const PackedRecord packed(record);
  for (const auto& [key, value] : record.metadata) {
    const auto found = packed.metadata(key);
    ASSERT_TRUE(found) << key;
    EXPECT_EQ(*found, value);
  }
  EXPECT_EQ(packed.metadata("empty"), std::optional<std::string_view>(""));
  for (const char* absent : {"", "a", "k", "k64", "tenanT", "zz"}) EXPECT_FALSE(packed.metadata(absent)) << absent;
}

TEST(PackedRecord, ReusesItsBlockWhenTheRecordFits) {
  SessionRecord record = everything();
  PackedRecord packed(record);
  const std::size_t capacity = packed.capacity();
  EXPECT_GT(capacity, 0U);

  record.remote_tag = "short";
  record.metadata.erase("campaign");
  packed.assign(record);
  EXPECT_EQ(packed.capacity(), capacity);
  EXPECT_EQ(packed.unpack(), record);

  record.metadata["notes"] = std::string(1000, 'x');
  packed.assign(record);
  EXPECT_GT(packed.capacity(), 1000U);  // a new block
  EXPECT_EQ(packed.unpack(), record);

  packed.assign(SessionRecord{});
  EXPECT_EQ(packed.unpack(), SessionRecord{});
}

TEST(PackedRecord, AssignScalarsRewritesStatesTimesAndVersion) {
  SessionRecord record = everything();
  record.ended.reset();
  record.end_info.reset();
  record.state = SessionState::Ringing;
  record.answered.reset();
  PackedRecord packed(record);

  record.state = SessionState::Connected;
  record.media_state = MediaState::Active;
  record.last_cause = TransitionCause::Answered;
  record.answered = record.created + seconds(5);
  record.version = 43;
  packed.assign_scalars(record);
  EXPECT_EQ(packed.unpack(), record);
  EXPECT_EQ(packed.state(), SessionState::Connected);
}

TEST(PackedRecord, AMovedFromRecordCanBeAssignedAgain) {
  PackedRecord first(everything());
  PackedRecord second(std::move(first));
  EXPECT_EQ(second.unpack(), everything());
  EXPECT_EQ(first.capacity(), 0U);  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move): the point
  first.assign(everything());
  EXPECT_EQ(first.unpack(), everything());
  second = std::move(first);
  EXPECT_EQ(second.unpack(), everything());
}

// The one implementation of matching (filter_match.hpp) gives the same
// answer for a record and its packed form, criterion by criterion.
TEST(PackedRecord, FiltersMatchItAsTheyMatchTheRecord) {
  std::vector<SessionRecord> records;
  records.push_back(everything());
  records.push_back(SessionRecord{});
  SessionRecord inbound = everything();
  inbound.direction = Direction::Inbound;
  inbound.state = SessionState::Connected;
  inbound.metadata = {{"tenant", "other"}};
  records.push_back(inbound);

  std::vector<SessionFilter> filters(1);
  const auto add = [&](auto&& set) {
    SessionFilter filter;
    set(filter);
    filters.push_back(filter);
  };
  add([](SessionFilter& f) { f.states = {SessionState::Terminated}; });
  add([](SessionFilter& f) { f.states = {SessionState::Connected, SessionState::Ringing}; });
  add([](SessionFilter& f) { f.direction = Direction::Inbound; });
  add([](SessionFilter& f) { f.direction = Direction::Outbound; });
  add([](SessionFilter& f) { f.party = "carrier.example"; });
  add([](SessionFilter& f) { f.party = "gateway@"; });
  add([](SessionFilter& f) { f.party = "nobody"; });
  add([](SessionFilter& f) { f.metadata = {{"tenant", "acme"}}; });
  add([](SessionFilter& f) { f.metadata = {{"tenant", "acme"}, {"empty", ""}}; });
  add([](SessionFilter& f) { f.metadata = {{"tenant", "other"}}; });
  add([](SessionFilter& f) { f.metadata = {{"absent", ""}}; });
  add([](SessionFilter& f) { f.created_after = Clock::WallTime(seconds(1'699'999'999)); });
  add([](SessionFilter& f) { f.created_before = Clock::WallTime(seconds(1'700'000'000)); });
  add([](SessionFilter& f) {
    f.states = {SessionState::Terminated};
    f.direction = Direction::Outbound;
    f.party = "+1555";
    f.metadata = {{"campaign", "spring-2026"}};
  });

  int matched = 0;
  for (std::size_t r = 0; r < records.size(); ++r) {
    const PackedRecord packed(records[r]);
    for (std::size_t f = 0; f < filters.size(); ++f) {
      const bool expected = filters[f].matches(records[r]);
      EXPECT_EQ(filter_matches(filters[f], packed), expected) << "record " << r << ", filter " << f;
      matched += expected ? 1 : 0;
    }
  }
  EXPECT_GT(matched, 10);  // the grid exercises both answers
}

}  // namespace
}  // namespace voxgate::session::detail
