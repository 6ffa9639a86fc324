#pragma once
// How many sessions may exist at once: overall, per calling party (the
// From URI) and per source address. Shared by every worker loop; a call
// takes a slot before anything else is done for it and gives it back when
// its session ends (the slot is RAII), so the counts cannot leak.
//
// Over a limit the call is refused at once: 503 with Retry-After overall
// or per source (RFC 3261 §21.5.4: we are overloaded, try later), 486 Busy
// Here per party (§21.4.24: this caller has enough calls with us).

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"

namespace voxgate::session {

struct SessionLimitSettings {
  std::uint32_t max_sessions = 10000;  // 0: no limit
  std::uint32_t max_per_party = 0;     // 0: no limit
  std::uint32_t max_per_source = 0;    // 0: no limit
};

// Draining: the process shuts down and admits no new session (503).
enum class LimitRefusal : std::uint8_t { Overall, Party, Source, Draining };
std::string_view to_string(LimitRefusal refusal) noexcept;
// 503 (Overall, Source) or 486 (Party).
std::uint16_t status_for(LimitRefusal refusal) noexcept;

struct SessionLimitCounts {
  std::uint64_t admitted = 0;
  std::uint64_t refused_overall = 0;
  std::uint64_t refused_party = 0;
  std::uint64_t refused_source = 0;
  std::uint64_t refused_draining = 0;
  std::uint32_t in_use = 0;
};

class SessionLimits;

// One admitted session's place; destroying it gives the place back.
class SessionSlot {
 public:
  SessionSlot() = default;
  SessionSlot(const SessionSlot&) = delete;
  SessionSlot& operator=(const SessionSlot&) = delete;
  SessionSlot(SessionSlot&& other) noexcept { *this = std::move(other); }
  SessionSlot& operator=(SessionSlot&& other) noexcept;
  ~SessionSlot() { release(); }

  void release() noexcept;
  [[nodiscard]] bool held() const noexcept { return limits_ != nullptr; }

 private:
  friend class SessionLimits;
  SessionSlot(SessionLimits& limits, std::string party, std::string source)
      : limits_(&limits), party_(std::move(party)), source_(std::move(source)) {}

  SessionLimits* limits_ = nullptr;
  std::string party_;
  std::string source_;
};

class SessionLimits {
 public:
  explicit SessionLimits(SessionLimitSettings settings) : settings_(settings) {}
  SessionLimits(const SessionLimits&) = delete;
  SessionLimits& operator=(const SessionLimits&) = delete;

  // A slot, or the limit that refused it (counted). `party` and `source`
  // may be empty (an outbound call has no source): they are then not
  // limited.
  tl::expected<SessionSlot, LimitRefusal> admit(std::string_view party, std::string_view source);

  [[nodiscard]] SessionLimitCounts counts() const;
  // From now on every admit() is refused (shutdown); slots held stay valid.
  void start_draining();

 private:
  friend class SessionSlot;
  void give_back(const std::string& party, const std::string& source) noexcept;

  // One lock for all three counts: a call setup takes it twice (admit,
  // give back), far below what the SIP work of that call costs.
  const SessionLimitSettings settings_;
  mutable std::mutex mutex_;
  std::uint32_t in_use_ = 0;
  bool draining_ = false;
  std::unordered_map<std::string, std::uint32_t> per_party_;
  std::unordered_map<std::string, std::uint32_t> per_source_;
  SessionLimitCounts counts_;
};

}  // namespace voxgate::session
