#pragma once
// A token bucket per source IP address, so a flood of new requests from one
// address is refused (503, Retry-After) while others are still served. The
// table is bounded: past max_sources the least recently seen source is
// forgotten (it returns with a full bucket, which is what an idle source has
// anyway). One instance per worker loop: not thread-safe by design.

#include <cstddef>
#include <list>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

#include "base/clock.hpp"
#include "sip/transport/transport_config.hpp"

namespace voxgate::sip {

class SourceLimiter {
 public:
  SourceLimiter(const RateLimitConfig& config, const Clock& clock);

  // Takes one token from `source`'s bucket; false when it is empty.
  // Always true when the limiter is disabled.
  bool allow(const boost::asio::ip::address& source);

  [[nodiscard]] std::size_t tracked_sources() const noexcept { return buckets_.size(); }

 private:
  struct Bucket {
    boost::asio::ip::address source;
    double tokens = 0.0;
    Clock::TimePoint refilled_at{};
  };
  using Lru = std::list<Bucket>;  // most recently seen first

  void refill(Bucket& bucket, Clock::TimePoint now) const noexcept;

  RateLimitConfig config_;
  const Clock& clock_;
  Lru lru_;
  std::unordered_map<boost::asio::ip::address, Lru::iterator> buckets_;
};

}  // namespace voxgate::sip
