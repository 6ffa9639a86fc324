#pragma once
// The TCP connection limits shared by every loop: open connections in total
// and inbound connections per source IP. Connections open and close rarely
// compared with messages, so one mutex is fine here; the message path never
// touches it.

#include <cstddef>
#include <mutex>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

#include "base/result.hpp"

namespace voxgate::sip {

enum class ConnectionDirection : std::uint8_t { Inbound, Outbound };

class ConnectionLimits {
 public:
  ConnectionLimits(std::size_t max_total, std::size_t max_per_source) noexcept;

  // Reserves a slot for a connection with `peer`; LimitExceeded says which
  // limit refused it. Per-source limits apply to inbound connections only.
  Result<void> acquire(ConnectionDirection direction, const boost::asio::ip::address& peer);
  // Gives back what acquire() reserved.
  void release(ConnectionDirection direction, const boost::asio::ip::address& peer);

  [[nodiscard]] std::size_t open() const;
  [[nodiscard]] std::size_t open_from(const boost::asio::ip::address& peer) const;

 private:
  std::size_t max_total_;
  std::size_t max_per_source_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<boost::asio::ip::address, std::size_t> inbound_by_source_;
};

}  // namespace voxgate::sip
