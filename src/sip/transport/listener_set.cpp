#include "sip/transport/listener_set.hpp"

namespace voxgate::sip {

const BoundListener* ListenerSet::for_destination(TransportKind transport,
                                                  const boost::asio::ip::address& destination) const noexcept {
  for (const BoundListener& l : listeners_) {
    if (l.transport == transport && l.address.ip.is_v6() == destination.is_v6()) return &l;
  }
  return nullptr;
}

const BoundListener* ListenerSet::at(TransportKind transport, const Address& local) const noexcept {
  for (const BoundListener& l : listeners_) {
    if (l.transport == transport && l.address == local) return &l;
  }
  return nullptr;
}

const BoundListener* ListenerSet::first(TransportKind transport) const noexcept {
  for (const BoundListener& l : listeners_) {
    if (l.transport == transport) return &l;
  }
  return nullptr;
}

}  // namespace voxgate::sip
