#pragma once
// Ports for tests that bind RTP port pairs on loopback, which is shared with
// other work: never a fixed port.

#include <cstdint>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

namespace voxgate::test {

// An even UDP port on 127.0.0.1 that the kernel just handed out (so free a
// moment ago), with room for `pairs` RTP/RTCP pairs above it.
inline std::uint16_t free_even_udp_port(std::uint16_t pairs) {
  boost::asio::io_context io;
  for (int i = 0; i < 200; ++i) {
    boost::asio::ip::udp::socket probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = probe.local_endpoint().port();
    if (port % 2 == 0 && port + 2 * pairs < 65535) return port;
  }
  return 41000;
}

}  // namespace voxgate::test
