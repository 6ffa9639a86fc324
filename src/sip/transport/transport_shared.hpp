#pragma once
// What the per-loop SipTransports share: configuration, clock, the loops,
// the bound listeners and the connection limits. Written by TransportLayer
// before start() posts anything to the loops, read-only afterwards (the
// connection limits lock for themselves).

#include <cstddef>
#include <vector>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "runtime/loop_pool.hpp"
#include "sip/transport/connection_limits.hpp"
#include "sip/transport/listener_set.hpp"
#include "sip/transport/receive_path.hpp"
#include "sip/transport/transport_config.hpp"

namespace voxgate::sip {

class SipTransport;

struct TransportShared {
  TransportShared(TransportConfig transport_config, const Clock& transport_clock, runtime::LoopPool& worker_pool,
                  Logger logger);

  TransportConfig config;
  const Clock& clock;
  runtime::LoopPool& pool;
  Logger log;
  ReceivePolicy datagram_policy;
  ReceivePolicy stream_policy;
  ConnectionLimits connection_limits;
  ListenerSet listeners;
  std::vector<SipTransport*> loops;  // by loop index
};

}  // namespace voxgate::sip
