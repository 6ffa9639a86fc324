// TransactionLayer, inbound half: classifying and matching what the transport
// hands up (§17.1.3, §17.2.3, §9.2, §8.2.2.2).

#include <utility>

#include "sip/message/builder.hpp"
#include "sip/transaction/detail/transaction_records.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace voxgate::sip {

namespace {

// The key of the INVITE transaction an ACK or CANCEL with this view's branch
// and sent-by belongs to.
ServerKey invite_key(const RequestView& view) {
  ServerKey key = view.key;
  key.method = Method::Invite;
  key.method_text = "INVITE";
  return key;
}

}  // namespace

void TransactionLayer::on_message(InboundMessage&& message) {
  if (message.message.is_response()) {
    on_response(std::move(message));
  } else {
    on_request(std::move(message));
  }
}

// ---- responses (§17.1.3) ----

void TransactionLayer::on_response(InboundMessage&& in) {
  const auto key = read_response_key(in.message);
  const auto it = key ? client_keys_.find(*key) : client_keys_.end();
  if (it == client_keys_.end()) {
    // §18.1.2, RFC 6026 §8.4: a response matching no transaction is dropped.
    ++stats_.stray_responses;
    return;
  }
  const ClientTransactionId id = it->second;
  ClientRecord* rec = client(id);
  auto outcome = rec->with_machine([&in](auto& m) { return m.on_response(in.message); });
  after_client_event(id, std::move(outcome), &in);
}

// ---- matching requests (§17.2.3) ----

ServerTransactionId TransactionLayer::find_server(const RequestView& view, const DialogTags& tags,
                                                  const Message& request) const {
  if (view.rfc3261) {
    const auto it = server_keys_.find(view.key);
    return it == server_keys_.end() ? ServerTransactionId{} : it->second;
  }
  auto [first, last] = server_call_ids_.equal_range(view.call_id);
  for (auto it = first; it != last; ++it) {
    const ServerRecord* rec = server(it->second);
    if (rec != nullptr && rec->identity.legacy_matches(view, tags, request)) return it->second;
  }
  return ServerTransactionId{};
}

ServerTransactionId TransactionLayer::find_cancelled(const RequestView& view, const DialogTags& tags,
                                                     const Message& cancel) const {
  // §9.2: the CANCEL matches the transaction it cancels as a request would,
  // method aside. Only INVITEs are looked for (§9.1: cancelling anything
  // else is pointless); a CANCEL of anything else gets 481.
  if (view.rfc3261) {
    const auto it = server_keys_.find(invite_key(view));
    return it == server_keys_.end() ? ServerTransactionId{} : it->second;
  }
  auto [first, last] = server_call_ids_.equal_range(view.call_id);
  for (auto it = first; it != last; ++it) {
    const ServerRecord* rec = server(it->second);
    if (rec != nullptr && rec->identity.method() == Method::Invite &&
        rec->identity.legacy_cancel_matches(view, tags, cancel)) {
      return it->second;
    }
  }
  return ServerTransactionId{};
}

ServerTransactionId TransactionLayer::find_ack_target(const RequestView& view, const Message& ack) const {
  if (view.rfc3261) {
    const auto it = server_keys_.find(invite_key(view));
    return it == server_keys_.end() ? ServerTransactionId{} : it->second;
  }
  const auto tags = read_tags(ack);
  if (!tags) return ServerTransactionId{};
  auto [first, last] = server_call_ids_.equal_range(view.call_id);
  for (auto it = first; it != last; ++it) {
    const ServerRecord* rec = server(it->second);
    if (rec != nullptr && rec->identity.legacy_ack_matches(view, *tags, ack)) return it->second;
  }
  return ServerTransactionId{};
}

bool TransactionLayer::is_merged(const RequestView& view, const DialogTags& tags) const {
  // §8.2.2.2: a request without To tag whose From tag, Call-ID and CSeq are
  // those of a live transaction it did not match arrived twice by different
  // paths (a fork that merged).
  if (tags.to_tag) return false;
  auto [first, last] = server_call_ids_.equal_range(view.call_id);
  for (auto it = first; it != last; ++it) {
    const ServerRecord* rec = server(it->second);
    if (rec != nullptr && rec->identity.same_origin(view, tags)) return true;
  }
  return false;
}

// ---- requests ----

void TransactionLayer::on_request(InboundMessage&& in) {
  const auto view = read_request(in.message);
  const auto tags = view ? read_tags(in.message) : Result<DialogTags>{};
  if (!view || !tags) {
    ++stats_.malformed_dropped;
    return;
  }
  if (view->key.method == Method::Ack) {
    on_ack_request(std::move(in), *view);
    return;
  }
  if (view->key.method == Method::Cancel) {
    on_cancel_request(std::move(in), *view);
    return;
  }

  if (const ServerTransactionId id = find_server(*view, *tags, in.message); id != ServerTransactionId{}) {
    ServerRecord* rec = server(id);
    auto outcome = rec->with_machine([&in](auto& m) { return m.on_request_retransmission(in.flow); });
    after_server_event(id, outcome, nullptr);
    return;
  }
  if (is_merged(*view, *tags)) {
    ++stats_.merged_requests;
    answer_internally(*view, *tags, in, 482, make_tag());
    return;
  }
  if (server_table_full()) {
    ++stats_.rejected_over_limit;
    answer_statelessly(in.message, in.flow, 503);
    return;
  }

  const bool invite = view->key.method == Method::Invite;
  // Built while the request is ours; sent after the upcall unless the user
  // answered inside it (§17.2.1).
  std::optional<Message> trying;
  if (invite) trying.emplace(make_response(in.message, 100).build());
  const ServerTransactionId id = create_server(*view, *tags, in, false);
  server_user_.on_request(id, std::move(in));
  if (!invite) return;
  ServerRecord* rec = server(id);
  ServerInviteTransaction* machine = rec == nullptr ? nullptr : rec->invite();
  if (machine == nullptr || machine->responded() || machine->state() != ServerInviteTransaction::State::Proceeding) {
    return;
  }
  after_server_event(id, machine->respond(std::move(*trying)), nullptr);
}

void TransactionLayer::on_ack_request(InboundMessage&& in, const RequestView& view) {
  const ServerTransactionId id = find_ack_target(view, in.message);
  ServerRecord* rec = server(id);
  ServerInviteTransaction* machine = rec == nullptr ? nullptr : rec->invite();
  if (machine == nullptr) {
    // The ACK of a 2xx: a transaction of its own (§17), for the dialog layer.
    ++stats_.stray_acks;
    server_user_.on_ack(std::move(in));
    return;
  }
  after_server_event(id, machine->on_ack(), &in);
}

void TransactionLayer::on_cancel_request(InboundMessage&& in, const RequestView& view) {
  const auto tags = read_tags(in.message);
  if (!tags) {
    ++stats_.malformed_dropped;
    return;
  }
  // A retransmitted CANCEL belongs to the CANCEL's own transaction.
  if (const ServerTransactionId id = find_server(view, *tags, in.message); id != ServerTransactionId{}) {
    ServerRecord* rec = server(id);
    auto outcome = rec->with_machine([&in](auto& m) { return m.on_request_retransmission(in.flow); });
    after_server_event(id, outcome, nullptr);
    return;
  }
  const ServerTransactionId invite_id = find_cancelled(view, *tags, in.message);
  ServerRecord* invite = server(invite_id);
  ServerInviteTransaction* machine = invite == nullptr ? nullptr : invite->invite();
  if (machine == nullptr) {
    ++stats_.cancels_unmatched;
    answer_internally(view, *tags, in, 481, make_tag());
    return;
  }
  ++stats_.cancels_matched;
  // §9.2: the 200 carries the To tag of the INVITE's response, when it has
  // one; otherwise a fresh one (the user's later response may differ).
  const std::string_view invite_tag = invite->identity.response_to_tag();
  const std::string to_tag = invite_tag.empty() ? make_tag() : std::string(invite_tag);
  const bool tell_user = !machine->final_response_sent() && !invite->internal;
  answer_internally(view, *tags, in, 200, to_tag);
  if (tell_user && server(invite_id) != nullptr) server_user_.on_cancel(invite_id, in);
}

}  // namespace voxgate::sip
