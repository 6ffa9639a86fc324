#include "sip/transport/source_limiter.hpp"

#include <algorithm>
#include <chrono>

namespace voxgate::sip {

SourceLimiter::SourceLimiter(const RateLimitConfig& config, const Clock& clock) : config_(config), clock_(clock) {}

void SourceLimiter::refill(Bucket& bucket, Clock::TimePoint now) const noexcept {
  if (now <= bucket.refilled_at) return;
  const double elapsed = std::chrono::duration<double>(now - bucket.refilled_at).count();
  bucket.tokens = std::min(config_.burst, bucket.tokens + elapsed * config_.requests_per_second);
  bucket.refilled_at = now;
}

bool SourceLimiter::allow(const boost::asio::ip::address& source) {
  if (!config_.enabled) return true;
  const Clock::TimePoint now = clock_.now();
  auto found = buckets_.find(source);
  if (found == buckets_.end()) {
    if (buckets_.size() >= config_.max_sources) {
      buckets_.erase(lru_.back().source);
      lru_.pop_back();
    }
    lru_.push_front(Bucket{source, config_.burst, now});
    found = buckets_.emplace(source, lru_.begin()).first;
  } else if (found->second != lru_.begin()) {
    lru_.splice(lru_.begin(), lru_, found->second);
  }
  Bucket& bucket = *found->second;
  refill(bucket, now);
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

}  // namespace voxgate::sip
