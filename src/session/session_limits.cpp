#include "session/session_limits.hpp"

namespace voxgate::session {

namespace {

// Takes one from a per-key count, erasing the key at zero so the map holds
// only the keys in use.
void decrement(std::unordered_map<std::string, std::uint32_t>& counts, const std::string& key) noexcept {
  if (key.empty()) return;
  auto it = counts.find(key);
  if (it == counts.end()) return;
  if (--it->second == 0) counts.erase(it);
}

bool over(std::uint32_t limit, std::uint32_t current) noexcept {
  return limit != 0 && current >= limit;
}

}  // namespace

std::string_view to_string(LimitRefusal refusal) noexcept {
  switch (refusal) {
    case LimitRefusal::Overall: return "overall";
    case LimitRefusal::Party: return "party";
    case LimitRefusal::Source: return "source";
    case LimitRefusal::Draining: return "draining";
  }
  return "?";
}

std::uint16_t status_for(LimitRefusal refusal) noexcept {
  return refusal == LimitRefusal::Party ? 486 : 503;
}

SessionSlot& SessionSlot::operator=(SessionSlot&& other) noexcept {
  if (this != &other) {
    release();
    limits_ = std::exchange(other.limits_, nullptr);
    party_ = std::move(other.party_);
    source_ = std::move(other.source_);
  }
  return *this;
}

void SessionSlot::release() noexcept {
  if (limits_ == nullptr) return;
  std::exchange(limits_, nullptr)->give_back(party_, source_);
}

void SessionLimits::start_draining() {
  const std::lock_guard lock(mutex_);
  draining_ = true;
}

tl::expected<SessionSlot, LimitRefusal> SessionLimits::admit(std::string_view party, std::string_view source) {
  std::string party_key(party);
  std::string source_key(source);
  const std::lock_guard lock(mutex_);
  if (draining_) {
    ++counts_.refused_draining;
    return tl::unexpected(LimitRefusal::Draining);
  }
  if (over(settings_.max_sessions, in_use_)) {
    ++counts_.refused_overall;
    return tl::unexpected(LimitRefusal::Overall);
  }
  if (!source_key.empty()) {
    auto it = per_source_.find(source_key);
    if (it != per_source_.end() && over(settings_.max_per_source, it->second)) {
      ++counts_.refused_source;
      return tl::unexpected(LimitRefusal::Source);
    }
  }
  if (!party_key.empty()) {
    auto it = per_party_.find(party_key);
    if (it != per_party_.end() && over(settings_.max_per_party, it->second)) {
      ++counts_.refused_party;
      return tl::unexpected(LimitRefusal::Party);
    }
  }
  // Per-key maps only when the limit is on: otherwise they would grow by
  // a node per caller for nothing.
  if (settings_.max_per_source == 0) source_key.clear();
  if (settings_.max_per_party == 0) party_key.clear();
  if (!source_key.empty()) ++per_source_[source_key];
  if (!party_key.empty()) ++per_party_[party_key];
  ++in_use_;
  ++counts_.admitted;
  return SessionSlot(*this, std::move(party_key), std::move(source_key));
}

void SessionLimits::give_back(const std::string& party, const std::string& source) noexcept {
  const std::lock_guard lock(mutex_);
  --in_use_;
  decrement(per_party_, party);
  decrement(per_source_, source);
}

SessionLimitCounts SessionLimits::counts() const {
  const std::lock_guard lock(mutex_);
  SessionLimitCounts out = counts_;
  out.in_use = in_use_;
  return out;
}

}  // namespace voxgate::session
