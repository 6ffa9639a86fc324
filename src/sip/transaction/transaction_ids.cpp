#include "sip/transaction/transaction_ids.hpp"

namespace voxgate::sip {

std::string_view to_string(TransactionKind kind) noexcept {
  switch (kind) {
    case TransactionKind::ClientInvite: return "client INVITE";
    case TransactionKind::ClientNonInvite: return "client non-INVITE";
    case TransactionKind::ServerInvite: return "server INVITE";
    case TransactionKind::ServerNonInvite: return "server non-INVITE";
  }
  return "?";
}

std::string_view to_string(TransactionState state) noexcept {
  switch (state) {
    case TransactionState::Calling: return "Calling";
    case TransactionState::Trying: return "Trying";
    case TransactionState::Proceeding: return "Proceeding";
    case TransactionState::Completed: return "Completed";
    case TransactionState::Confirmed: return "Confirmed";
    case TransactionState::Accepted: return "Accepted";
    case TransactionState::Terminated: return "Terminated";
  }
  return "?";
}

std::string_view to_string(TransactionEnd end) noexcept {
  switch (end) {
    case TransactionEnd::Completed: return "completed";
    case TransactionEnd::Timeout: return "timeout";
    case TransactionEnd::TransportError: return "transport error";
  }
  return "?";
}

}  // namespace voxgate::sip
