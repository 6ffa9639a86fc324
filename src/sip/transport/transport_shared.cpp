#include "sip/transport/transport_shared.hpp"

namespace voxgate::sip {

TransportShared::TransportShared(TransportConfig transport_config, const Clock& transport_clock,
                                 runtime::LoopPool& worker_pool, Logger logger)
    : config(std::move(transport_config)),
      clock(transport_clock),
      pool(worker_pool),
      log(std::move(logger)),
      datagram_policy{ParseOptions{Framing::Datagram, config.datagram_limits}, config.rate_limit.retry_after_seconds},
      stream_policy{ParseOptions{Framing::Stream, config.stream_limits}, config.rate_limit.retry_after_seconds},
      connection_limits(config.tcp.max_connections, config.tcp.max_connections_per_source) {}

}  // namespace voxgate::sip
