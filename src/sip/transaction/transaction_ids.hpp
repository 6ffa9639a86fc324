#pragma once
// The nouns the transaction layer shares with its users: handles for
// transactions (never pointers), the four kinds of RFC 3261 §17, their
// states, and why a transaction ended.

#include <cstdint>
#include <string_view>

#include "base/strong_id.hpp"

namespace voxgate::sip {

// Handles the layer gives its users. A handle outlives its transaction
// harmlessly: calls naming an ended transaction fail with Errc::NotFound.
using ServerTransactionId = StrongId<struct ServerTransactionIdTag>;
using ClientTransactionId = StrongId<struct ClientTransactionIdTag>;

// The four machines of §17.1.1, §17.1.2, §17.2.1, §17.2.2.
enum class TransactionKind : std::uint8_t { ClientInvite, ClientNonInvite, ServerInvite, ServerNonInvite };
inline constexpr std::size_t kTransactionKinds = 4;

// Every state of the four machines (each uses a subset), for callers that
// ask where a transaction is; the machines keep their own narrower enums.
enum class TransactionState : std::uint8_t {
  Calling,     // client INVITE
  Trying,      // non-INVITE, client and server
  Proceeding,  // all four
  Completed,   // all four
  Confirmed,   // server INVITE
  Accepted,    // INVITE, client and server (RFC 6026)
  Terminated,
};

enum class TransactionEnd : std::uint8_t {
  Completed,       // the machine ran its course (Timers D, I, J, K, L, M or a reliable transport's 0)
  Timeout,         // Timer B or F (no final response), Timer H (no ACK), or no answer to a CANCEL (§9.1)
  TransportError,  // the transport failed to send (§17.1.4, §17.2.4)
};

std::string_view to_string(TransactionKind kind) noexcept;
std::string_view to_string(TransactionState state) noexcept;
std::string_view to_string(TransactionEnd end) noexcept;

}  // namespace voxgate::sip
