#pragma once
// Counters of one TransactionLayer, for metrics. Plain integers: the layer
// runs on one loop; a metrics exporter copies them on that loop.

#include <array>
#include <cstdint>

#include "sip/transaction/transaction_ids.hpp"

namespace voxgate::sip {

struct TransactionStats {
  std::array<std::uint64_t, kTransactionKinds> created{};  // indexed by TransactionKind
  std::array<std::uint64_t, kTransactionKinds> ended{};

  std::uint64_t retransmissions_sent = 0;      // requests (A, E), responses (G, and on a request retransmission), ACKs
  std::uint64_t absorbed_retransmissions = 0;  // requests and responses a transaction matched and kept from its user
  std::uint64_t timeouts = 0;                  // transactions ended with TransactionEnd::Timeout
  std::uint64_t transport_errors = 0;          // transactions ended with TransactionEnd::TransportError
  std::uint64_t stray_responses = 0;           // responses matching no client transaction, dropped (§18.1.2)
  std::uint64_t stray_acks = 0;                // ACKs matching no transaction, passed up (the ACK of a 2xx)
  std::uint64_t cancels_matched = 0;           // CANCELs answered 200 (§9.2)
  std::uint64_t cancels_unmatched = 0;         // CANCELs answered 481
  std::uint64_t merged_requests = 0;           // requests answered 482 (§8.2.2.2)
  std::uint64_t rejected_over_limit = 0;       // requests answered 503 because the layer was full
  std::uint64_t malformed_dropped = 0;         // messages without a usable Via or CSeq
  std::uint64_t rejected_events = 0;           // messages a machine's state does not accept (late 1xx, ...)

  [[nodiscard]] std::uint64_t created_of(TransactionKind kind) const noexcept {
    return created[static_cast<std::size_t>(kind)];
  }
  [[nodiscard]] std::uint64_t ended_of(TransactionKind kind) const noexcept {
    return ended[static_cast<std::size_t>(kind)];
  }
};

}  // namespace voxgate::sip
