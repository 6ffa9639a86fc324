#include "session/registry/detail/packed_record.hpp"

#include <array>
#include <cassert>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace voxgate::session::detail {

namespace {

std::int64_t to_ticks(Clock::WallTime time) noexcept {
  return time.time_since_epoch().count();
}

// A new block gets this much room beyond what the record needs, rounded up
// to the granule, so that what usually comes later (a media summary, a
// metadata pair or two, an end reason) is written in place. Without it,
// nearly every such change moved the block: the freed blocks' odd sizes
// then got split for small allocations (glibc), and a list() of 100 after
// metadata changes on every session took 190 µs instead of 80 (BENCHMARKS.md,
// "Session registry"). 32 bytes more per session than exact fits.
constexpr std::size_t kHeadroom = 64;
constexpr std::size_t kGranule = 32;

}  // namespace

void PackedRecord::assign(const SessionRecord& record) {
  // The strings in block order.
  std::array<std::string_view, kFixedStrings> fixed{};
  fixed[kCallId] = record.call_id;
  fixed[kLocalTag] = record.local_tag;
  fixed[kRemoteTag] = record.remote_tag;
  fixed[kLocalUri] = record.local.uri;
  fixed[kLocalName] = record.local.display_name;
  fixed[kRemoteUri] = record.remote.uri;
  fixed[kRemoteName] = record.remote.display_name;
  if (record.end_info) fixed[kEndReason] = record.end_info->reason;
  if (record.media) {
    fixed[kMediaCodec] = record.media->codec;
    fixed[kMediaRtp] = record.media->remote_rtp;
  }

  std::size_t text_size = 0;
  for (const std::string_view s : fixed) text_size += s.size();
  for (const auto& [key, value] : record.metadata) text_size += key.size() + value.size();
  if (text_size > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("session record too large");
  const std::size_t strings = kFixedStrings + 2 * record.metadata.size();
  const std::size_t text_at = kOffsetsAt + (strings + 1) * sizeof(std::uint32_t);
  const std::size_t size = text_at + text_size;

  std::uint32_t capacity = block_ ? header().capacity : 0;
  if (size > capacity) {
    const std::size_t rounded = (size + kHeadroom + kGranule - 1) / kGranule * kGranule;
    if (rounded > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("session record too large");
    block_ = std::make_unique_for_overwrite<std::byte[]>(rounded);
    capacity = static_cast<std::uint32_t>(rounded);
  }

  write_header(record, capacity, static_cast<std::uint32_t>(text_at));

  std::byte* offsets = block_.get() + kOffsetsAt;
  char* text = reinterpret_cast<char*>(block_.get() + text_at);
  std::uint32_t at = 0;
  std::size_t i = 0;
  const auto put = [&](std::string_view s) {
    std::memcpy(offsets + i++ * sizeof(at), &at, sizeof(at));
    // An empty view may have a null data(), which memcpy must not get.
    if (!s.empty()) std::memcpy(text + at, s.data(), s.size());
    at += static_cast<std::uint32_t>(s.size());
  };
  for (const std::string_view s : fixed) put(s);
  for (const auto& [key, value] : record.metadata) {
    put(key);
    put(value);
  }
  std::memcpy(offsets + i * sizeof(at), &at, sizeof(at));
}

void PackedRecord::assign_scalars(const SessionRecord& record) noexcept {
  write_header(record, header().capacity, header().text_at);
  assert(unpack() == record);
}

void PackedRecord::write_header(const SessionRecord& record, std::uint32_t capacity, std::uint32_t text_at) noexcept {
  std::uint8_t flags = 0;
  if (record.answered) flags |= kHasAnswered;
  if (record.ended) flags |= kHasEnded;
  if (record.last_cause) flags |= kHasLastCause;
  if (record.end_info) flags |= kHasEndInfo;
  if (record.media) flags |= kHasMedia;
  // Trivially copyable and created in place each time, so reusing a block
  // needs no destruction.
  new (block_.get()) Header{
      .id = record.id.value(),
      .version = record.version,
      .created = to_ticks(record.created),
      .answered = record.answered ? to_ticks(*record.answered) : 0,
      .ended = record.ended ? to_ticks(*record.ended) : 0,
      .capacity = capacity,
      .metadata_count = static_cast<std::uint32_t>(record.metadata.size()),
      .text_at = text_at,
      .end_status = record.end_info ? record.end_info->sip_status : std::uint16_t{0},
      .direction = record.direction,
      .state = record.state,
      .media_state = record.media_state,
      .last_cause = record.last_cause.value_or(TransitionCause{}),
      .end_by = record.end_info ? record.end_info->by : EndedBy{},
      .end_cause = record.end_info ? record.end_info->cause : TransitionCause{},
      .flags = flags,
  };
}

// Every member is constructed from its bytes where it lies (designated
// initializers of a returned prvalue): no default construction to
// overwrite, no moves.
SessionRecord PackedRecord::unpack() const {
  const Header& h = header();
  const bool ended = (h.flags & kHasEndInfo) != 0;
  const bool media = (h.flags & kHasMedia) != 0;
  return SessionRecord{
      .id = SessionId(h.id),
      .call_id = std::string(text(kCallId)),
      .local_tag = std::string(text(kLocalTag)),
      .remote_tag = std::string(text(kRemoteTag)),
      .direction = h.direction,
      .local = Party{.uri = std::string(text(kLocalUri)), .display_name = std::string(text(kLocalName))},
      .remote = Party{.uri = std::string(text(kRemoteUri)), .display_name = std::string(text(kRemoteName))},
      .created = to_time(h.created),
      .answered = (h.flags & kHasAnswered) != 0 ? std::optional(to_time(h.answered)) : std::nullopt,
      .ended = (h.flags & kHasEnded) != 0 ? std::optional(to_time(h.ended)) : std::nullopt,
      .state = h.state,
      .media_state = h.media_state,
      .last_cause = (h.flags & kHasLastCause) != 0 ? std::optional(h.last_cause) : std::nullopt,
      .end_info = ended ? std::optional(EndInfo{.by = h.end_by,
                                                .sip_status = h.end_status,
                                                .reason = std::string(text(kEndReason)),
                                                .cause = h.end_cause})
                        : std::nullopt,
      .media = media ? std::optional(MediaSummary{.codec = std::string(text(kMediaCodec)),
                                                  .remote_rtp = std::string(text(kMediaRtp))})
                     : std::nullopt,
      .metadata = unpack_metadata(),
      .version = h.version,
  };
}

Metadata PackedRecord::unpack_metadata() const {
  Metadata metadata;
  // In key order already, so each insertion is at the end: constant time.
  for (std::size_t i = 0; i < header().metadata_count; ++i) {
    metadata.emplace_hint(metadata.end(), std::piecewise_construct, std::forward_as_tuple(metadata_key(i)),
                          std::forward_as_tuple(metadata_value(i)));
  }
  return metadata;
}

std::optional<std::string_view> PackedRecord::metadata(std::string_view key) const noexcept {
  // Binary search over the sorted keys.
  std::size_t low = 0;
  std::size_t high = header().metadata_count;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    if (metadata_key(middle) < key) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low < header().metadata_count && metadata_key(low) == key) return metadata_value(low);
  return std::nullopt;
}

}  // namespace voxgate::session::detail
