#pragma once
// One session as the in-memory registry stores it (private to the registry):
// every field of a SessionRecord in a single heap block, the scalars in its
// first cache line, then the strings' offsets, then their bytes back to back.
//
// Why not store the SessionRecord itself: with 100,000 sessions a get()
// reads a record no cache holds, so it costs what its cache misses cost. A
// SessionRecord spreads a session over about ten heap blocks (each string
// longer than the 15 bytes std::string keeps inline, a tree node per
// metadata entry), each one more miss; this block is about 350 bytes read
// front to back. Measured (BENCHMARKS.md, "Session registry"): a random
// get() touches 7.8 cache lines beyond L1 instead of 18.6, and costs about
// half the time, though it runs 20 % more instructions (unpacking builds
// each string and map node that a copy would have cloned); a session
// takes 598 bytes of heap instead of 1,289. Unpacking into a SessionRecord
// is the copy get() hands out; filters and indexes read the packed fields
// directly.
//
// Not thread-safe: the shard's lock guards it like the rest of the store.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string_view>

#include "base/clock.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session::detail {

class PackedRecord {
 public:
  PackedRecord() = default;  // holds no record; only assign() and the destructor may be used
  explicit PackedRecord(const SessionRecord& record) { assign(record); }

  // Replaces the contents. The block is reused when the record fits in it.
  // std::length_error when the strings exceed 4 GiB in all.
  void assign(const SessionRecord& record);
  // The same when `record` differs from the stored one in fields outside
  // strings only (states, causes, times, version: what a state change
  // touches), so only the header is rewritten. Checked by assert.
  void assign_scalars(const SessionRecord& record) noexcept;

  [[nodiscard]] SessionRecord unpack() const;
  // unpack() where a SessionRecord is constructed from it, e.g.
  // `Result<SessionRecord> result(record.unpacked())` or
  // `records.emplace_back(record.unpacked())`: the conversion's result
  // initialises the object directly (GCC and Clang elide the move through a
  // conversion function, CWG 2327), where passing unpack()'s value would
  // move the record's dozen members once more.
  class Unpacked {
   public:
    explicit Unpacked(const PackedRecord& record) noexcept : record_(record) {}
    operator SessionRecord() const { return record_.unpack(); }

   private:
    const PackedRecord& record_;
  };
  [[nodiscard]] Unpacked unpacked() const noexcept { return Unpacked(*this); }

  // What filters and indexes read, without unpacking.
  [[nodiscard]] std::uint64_t id() const noexcept { return header().id; }
  [[nodiscard]] SessionState state() const noexcept { return header().state; }
  [[nodiscard]] Direction direction() const noexcept { return header().direction; }
  [[nodiscard]] Clock::WallTime created() const noexcept { return to_time(header().created); }
  [[nodiscard]] std::string_view local_uri() const noexcept { return text(kLocalUri); }
  [[nodiscard]] std::string_view remote_uri() const noexcept { return text(kRemoteUri); }
  // Metadata in key order (the order of SessionRecord::metadata).
  [[nodiscard]] std::size_t metadata_size() const noexcept { return header().metadata_count; }
  [[nodiscard]] std::string_view metadata_key(std::size_t i) const noexcept { return text(kFixedStrings + 2 * i); }
  [[nodiscard]] std::string_view metadata_value(std::size_t i) const noexcept {
    return text(kFixedStrings + 2 * i + 1);
  }
  // The value of `key`, if present.
  [[nodiscard]] std::optional<std::string_view> metadata(std::string_view key) const noexcept;

  // Bytes held (for tests and memory accounting).
  [[nodiscard]] std::size_t capacity() const noexcept { return block_ ? header().capacity : 0; }

 private:
  // The strings, in block order; metadata keys and values follow them,
  // alternating.
  enum StringField : std::size_t {
    kCallId,
    kLocalTag,
    kRemoteTag,
    kLocalUri,
    kLocalName,
    kRemoteUri,
    kRemoteName,
    kEndReason,
    kMediaCodec,
    kMediaRtp,
    kFixedStrings,
  };
  enum Flag : std::uint8_t {
    kHasAnswered = 1U << 0U,
    kHasEnded = 1U << 1U,
    kHasLastCause = 1U << 2U,
    kHasEndInfo = 1U << 3U,
    kHasMedia = 1U << 4U,
  };

  // One cache line (a static_assert checks). Times are system_clock ticks
  // since the epoch.
  struct Header {
    std::uint64_t id;
    std::uint64_t version;
    std::int64_t created;
    std::int64_t answered;
    std::int64_t ended;
    std::uint32_t capacity;        // bytes of the block
    std::uint32_t metadata_count;  // key/value pairs
    std::uint32_t text_at;         // where the text starts in the block
    std::uint16_t end_status;
    Direction direction;
    SessionState state;
    MediaState media_state;
    TransitionCause last_cause;
    EndedBy end_by;
    TransitionCause end_cause;
    std::uint8_t flags;
  };
  static_assert(sizeof(Header) <= 64);
  // The block: the Header, then one std::uint32_t offset per string plus
  // one (string i is text[offset[i], offset[i + 1])), then the text.
  static constexpr std::size_t kOffsetsAt = sizeof(Header);

  [[nodiscard]] Metadata unpack_metadata() const;
  // Placement-new of the header of `record` at the front of the block.
  void write_header(const SessionRecord& record, std::uint32_t capacity, std::uint32_t text_at) noexcept;
  static Clock::WallTime to_time(std::int64_t ticks) noexcept {
    return Clock::WallTime(Clock::WallTime::duration(ticks));
  }
  [[nodiscard]] const Header& header() const noexcept {
    return *std::launder(reinterpret_cast<const Header*>(block_.get()));
  }
  [[nodiscard]] std::uint32_t offset(std::size_t i) const noexcept {
    std::uint32_t value = 0;  // memcpy: the offsets are bytes of the block, not objects
    std::memcpy(&value, block_.get() + kOffsetsAt + i * sizeof(std::uint32_t), sizeof(value));
    return value;
  }
  [[nodiscard]] std::string_view text(std::size_t i) const noexcept {
    const auto* text = reinterpret_cast<const char*>(block_.get() + header().text_at);
    const std::uint32_t begin = offset(i);
    return {text + begin, offset(i + 1) - begin};
  }

  // Only the pointer, so the store's hash table slots are 16 bytes: the
  // smaller the table, the more of it stays in the caches.
  std::unique_ptr<std::byte[]> block_;
};

}  // namespace voxgate::session::detail
