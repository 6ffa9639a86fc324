#pragma once
// What TransactionLayer keeps per transaction: the machine, and what the
// layer needs around it (identity for matching, user, CANCEL progress).
// Records live behind unique_ptr in a SlotMap and never move, so the layer's
// key maps can hold views into them.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "sip/message/method.hpp"
#include "sip/transaction/client_invite_transaction.hpp"
#include "sip/transaction/client_non_invite_transaction.hpp"
#include "sip/transaction/server_invite_transaction.hpp"
#include "sip/transaction/server_non_invite_transaction.hpp"
#include "sip/transaction/transaction_key.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transaction/transaction_user.hpp"

namespace voxgate::sip {

struct TransactionLayer::ServerRecord {
  ServerRecord(const RequestView& view, const DialogTags& tags, const Message& request, bool is_internal)
      : identity(view, tags, request), internal(is_internal) {}

  [[nodiscard]] TransactionKind kind() const noexcept {
    return std::holds_alternative<ServerInviteTransaction>(machine) ? TransactionKind::ServerInvite
                                                                    : TransactionKind::ServerNonInvite;
  }
  [[nodiscard]] ServerInviteTransaction* invite() noexcept { return std::get_if<ServerInviteTransaction>(&machine); }

  // Runs `fn` on whichever machine this is.
  template <class Fn>
  auto with_machine(Fn&& fn) {
    if (auto* m = std::get_if<ServerInviteTransaction>(&machine)) return fn(*m);
    return fn(std::get<ServerNonInviteTransaction>(machine));
  }
  template <class Fn>
  auto with_machine(Fn&& fn) const {
    if (const auto* m = std::get_if<ServerInviteTransaction>(&machine)) return fn(*m);
    return fn(std::get<ServerNonInviteTransaction>(machine));
  }

  ServerIdentity identity;
  bool internal;  // answered by the layer itself; the user never hears of it
  std::variant<std::monostate, ServerInviteTransaction, ServerNonInviteTransaction> machine;
};

struct TransactionLayer::ClientRecord {
  enum class Cancel : std::uint8_t { None, Pending, Sent };

  [[nodiscard]] std::string_view branch() const noexcept { return {branch_text.data(), branch_length}; }
  void set_branch(std::string_view b) noexcept { branch_length = b.copy(branch_text.data(), branch_text.size()); }
  [[nodiscard]] ClientKey key() const noexcept { return ClientKey{branch(), method, method_text}; }
  [[nodiscard]] TransactionKind kind() const noexcept {
    return std::holds_alternative<ClientInviteTransaction>(machine) ? TransactionKind::ClientInvite
                                                                    : TransactionKind::ClientNonInvite;
  }
  [[nodiscard]] ClientInviteTransaction* invite() noexcept { return std::get_if<ClientInviteTransaction>(&machine); }

  template <class Fn>
  auto with_machine(Fn&& fn) {
    if (auto* m = std::get_if<ClientInviteTransaction>(&machine)) return fn(*m);
    return fn(std::get<ClientNonInviteTransaction>(machine));
  }
  template <class Fn>
  auto with_machine(Fn&& fn) const {
    if (const auto* m = std::get_if<ClientInviteTransaction>(&machine)) return fn(*m);
    return fn(std::get<ClientNonInviteTransaction>(machine));
  }

  // Our branches are "z9hG4bK" + 16 + 8 hex digits: kept inline, no allocation.
  std::array<char, 40> branch_text{};
  std::size_t branch_length = 0;
  Method method = Method::Extension;
  std::string method_text;                // only for extension methods
  ClientTransactionUser* user = nullptr;  // null: internal (a CANCEL) or detached
  bool internal = false;
  Cancel cancel = Cancel::None;
  std::string cancel_reason;  // a Reason header value for the CANCEL (RFC 3326), "" for none
  std::variant<std::monostate, ClientInviteTransaction, ClientNonInviteTransaction> machine;
};

}  // namespace voxgate::sip
