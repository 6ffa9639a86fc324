#pragma once
// The listeners as bound (actual ports known), and the choices made from
// them: which one a request leaves from and what its Via sent-by says
// (§18.1.1), which socket a UDP response leaves from (RFC 3581 §4: the one
// the request arrived on).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sip/transport/flow.hpp"

namespace voxgate::sip {

struct BoundListener {
  std::size_t index = 0;  // position in TransportConfig::listeners
  TransportKind transport = TransportKind::Udp;
  Address address;      // as bound: the real port when 0 was asked
  std::string sent_by;  // "host:port" for our Via
};

class ListenerSet {
 public:
  ListenerSet() = default;
  explicit ListenerSet(std::vector<BoundListener> listeners) : listeners_(std::move(listeners)) {}

  [[nodiscard]] const std::vector<BoundListener>& all() const noexcept { return listeners_; }

  // The first listener of `transport` in the address family of
  // `destination`; nullptr when there is none.
  [[nodiscard]] const BoundListener* for_destination(TransportKind transport,
                                                     const boost::asio::ip::address& destination) const noexcept;
  // The listener of `transport` bound at `local`; nullptr when there is none.
  [[nodiscard]] const BoundListener* at(TransportKind transport, const Address& local) const noexcept;
  // The first listener of `transport`, nullptr when there is none.
  [[nodiscard]] const BoundListener* first(TransportKind transport) const noexcept;

 private:
  std::vector<BoundListener> listeners_;
};

struct AddressHash {
  std::size_t operator()(const Address& a) const noexcept {
    return std::hash<boost::asio::ip::address>{}(a.ip) * 31U + a.port;
  }
};

}  // namespace voxgate::sip
