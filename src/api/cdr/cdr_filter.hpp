#pragma once
// Which CDRs a CdrStore::query() returns (GET /v1/cdrs), and one page of
// them. Every criterion that is set must hold (AND); an unset one matches
// all. The criteria mirror the session registry's list filter
// (session/registry/session_filter.hpp) where they overlap, so the API
// reads the same for live sessions and for ended ones.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/cdr/cdr_record.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api {

struct CdrFilter {
  static constexpr std::size_t kDefaultLimit = 100;
  static constexpr std::size_t kMaxLimit = 1000;
  // Each metadata criterion is one more subquery in the statement; a few
  // are plenty for a person, and the bound keeps one request cheap.
  static constexpr std::size_t kMaxMetadataCriteria = 16;

  std::optional<session::Direction> direction;  // unset: both
  // A case-sensitive substring of the local or the remote party's URI,
  // taken literally (no wildcards). Empty: any party.
  std::string party;
  std::optional<session::SessionId> session_id;
  std::string call_id;  // exact; empty: any
  std::optional<session::EndedBy> ended_by;
  std::optional<std::uint16_t> sip_status;
  std::optional<Clock::WallTime> created_after;   // strictly after
  std::optional<Clock::WallTime> created_before;  // strictly before
  // Key=value pairs that must all be present, compared exactly.
  std::vector<std::pair<std::string, std::string>> metadata;

  // Paging: at most `limit` CDRs with ids above `cursor`, oldest first (id
  // order). The cursor is opaque to callers: pass back the page's
  // next_cursor unchanged.
  std::size_t limit = kDefaultLimit;
  std::optional<CdrId> cursor;
};

struct StoredCdr {
  CdrId id;
  CallDetailRecord record;

  friend bool operator==(const StoredCdr&, const StoredCdr&) = default;
};

struct CdrPage {
  std::vector<StoredCdr> cdrs;  // in id order
  // Set when more matching CDRs follow: pass it as the next filter's
  // cursor. Unset on the last page.
  std::optional<CdrId> next_cursor;
};

// InvalidArgument for a limit of 0 or above kMaxLimit, a metadata criterion
// with an empty key, or more than kMaxMetadataCriteria of them.
Result<void> validate(const CdrFilter& filter);

}  // namespace voxgate::api
