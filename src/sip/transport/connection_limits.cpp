#include "sip/transport/connection_limits.hpp"

namespace voxgate::sip {

ConnectionLimits::ConnectionLimits(std::size_t max_total, std::size_t max_per_source) noexcept
    : max_total_(max_total), max_per_source_(max_per_source) {}

Result<void> ConnectionLimits::acquire(ConnectionDirection direction, const boost::asio::ip::address& peer) {
  const std::lock_guard lock(mutex_);
  if (total_ >= max_total_) {
    return make_error(Errc::LimitExceeded, "{} TCP connections open, the limit", total_);
  }
  if (direction == ConnectionDirection::Inbound) {
    std::size_t& from_peer = inbound_by_source_[peer];
    if (from_peer >= max_per_source_) {
      return make_error(Errc::LimitExceeded, "{} TCP connections from {} open, the per-source limit", from_peer,
                        peer.to_string());
    }
    ++from_peer;
  }
  ++total_;
  return {};
}

void ConnectionLimits::release(ConnectionDirection direction, const boost::asio::ip::address& peer) {
  const std::lock_guard lock(mutex_);
  if (total_ > 0) --total_;
  if (direction != ConnectionDirection::Inbound) return;
  const auto found = inbound_by_source_.find(peer);
  if (found == inbound_by_source_.end()) return;
  if (--found->second == 0) inbound_by_source_.erase(found);
}

std::size_t ConnectionLimits::open() const {
  const std::lock_guard lock(mutex_);
  return total_;
}

std::size_t ConnectionLimits::open_from(const boost::asio::ip::address& peer) const {
  const std::lock_guard lock(mutex_);
  const auto found = inbound_by_source_.find(peer);
  return found == inbound_by_source_.end() ? 0 : found->second;
}

}  // namespace voxgate::sip
