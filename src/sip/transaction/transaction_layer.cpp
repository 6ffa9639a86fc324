#include "sip/transaction/transaction_layer.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "sip/message/builder.hpp"
#include "sip/transaction/detail/transaction_records.hpp"
#include "sip/transaction/request_builders.hpp"

namespace voxgate::sip {

TransactionLayer::TransactionLayer(runtime::Timers& timers, MessageTransport& transport,
                                   ServerTransactionUser& server_user, const TimerSettings& settings,
                                   const TransactionLimits& limits, RandomSource random)
    : server_user_(server_user),
      transport_(transport),
      settings_(settings),
      limits_(limits),
      context_(transport, timers, settings_, stats_, *this),
      random_(std::move(random)) {
  if (auto valid = validate(settings_); !valid) throw std::invalid_argument(valid.error().message);
  if (!random_) {
    default_random_.seed(std::random_device{}());
    random_ = [this] { return default_random_(); };
  }
}

TransactionLayer::~TransactionLayer() {
  // The maps view into the records: clear them first, then the records
  // (whose machines cancel their timers).
  client_keys_.clear();
  server_keys_.clear();
  server_call_ids_.clear();
  for (const std::uint64_t handle : clients_.handles()) clients_.take(handle);
  for (const std::uint64_t handle : servers_.handles()) servers_.take(handle);
}

TransactionLayer::ServerRecord* TransactionLayer::server(ServerTransactionId id) const noexcept {
  return servers_.find(id.value());
}

TransactionLayer::ClientRecord* TransactionLayer::client(ClientTransactionId id) const noexcept {
  return clients_.find(id.value());
}

std::optional<TransactionState> TransactionLayer::state(ServerTransactionId id) const noexcept {
  const ServerRecord* rec = server(id);
  if (rec == nullptr) return std::nullopt;
  return rec->with_machine([](const auto& m) { return m.common_state(); });
}

std::optional<TransactionState> TransactionLayer::state(ClientTransactionId id) const noexcept {
  const ClientRecord* rec = client(id);
  if (rec == nullptr) return std::nullopt;
  return rec->with_machine([](const auto& m) { return m.common_state(); });
}

std::string TransactionLayer::make_branch() {
  // The cookie (§8.1.1.7), 64 random bits, and a counter: unique within this
  // layer even with a poor (or test) random source.
  return fmt::format("{}{:016x}{:08x}", kMagicCookie, random_(), branch_counter_++);
}

std::string TransactionLayer::make_tag() {
  return fmt::format("{:016x}", random_());
}

void TransactionLayer::count_end(TransactionKind kind, TransactionEnd reason) noexcept {
  ++stats_.ended[static_cast<std::size_t>(kind)];
  if (reason == TransactionEnd::Timeout) ++stats_.timeouts;
  if (reason == TransactionEnd::TransportError) ++stats_.transport_errors;
}

// ---- server transactions ----

Result<void> TransactionLayer::respond(ServerTransactionId id, Message response) {
  ServerRecord* rec = server(id);
  if (rec == nullptr || rec->internal) return make_error(Errc::NotFound, "no server transaction {}", id);
  if (!response.is_response()) return make_error(Errc::InvalidArgument, "respond() takes a response");
  if (classify_status(response.status()) == StatusClass::Invalid) {
    return make_error(Errc::InvalidArgument, "status {} is outside 100-699", response.status());
  }
  // The To tag we answered with: the RFC 2543 fallback matches the ACK by
  // it, and a CANCEL's 200 carries it (§9.2).
  std::optional<std::string> to_tag;
  if (response.status() > 100) {
    if (const auto to = response.to(); to && to->tag()) to_tag.emplace(*to->tag());
  }
  auto outcome = rec->with_machine([&response](auto& m) { return m.respond(std::move(response)); });
  if (!outcome) return tl::unexpected(std::move(outcome.error()));
  if (to_tag) rec->identity.set_response_to_tag(*to_tag);
  const bool failed = outcome->ended == TransactionEnd::TransportError;
  after_server_event(id, outcome, nullptr);
  if (failed) return make_error(Errc::Io, "the transport failed to send the response; transaction {} ended", id);
  return {};
}

ServerTransactionId TransactionLayer::create_server(const RequestView& view, const DialogTags& tags,
                                                    const InboundMessage& in, bool internal) {
  auto owned = std::make_unique<ServerRecord>(view, tags, in.message, internal);
  ServerRecord* rec = owned.get();
  const ServerTransactionId id{servers_.insert(std::move(owned))};
  const TransactionRef ref = TransactionRef::server(id);
  if (view.key.method == Method::Invite) {
    rec->machine.emplace<ServerInviteTransaction>(context_, ref, in.flow);
  } else {
    rec->machine.emplace<ServerNonInviteTransaction>(context_, ref, in.flow);
  }
  if (rec->identity.rfc3261()) server_keys_.emplace(rec->identity.key(), id);
  server_call_ids_.emplace(rec->identity.call_id(), id);
  ++stats_.created[static_cast<std::size_t>(rec->kind())];
  return id;
}

void TransactionLayer::answer_internally(const RequestView& view, const DialogTags& tags, const InboundMessage& in,
                                         std::uint16_t status, std::string_view to_tag) {
  if (servers_.size() >= limits_.max_server_transactions) {
    ++stats_.rejected_over_limit;
    answer_statelessly(in.message, in.flow, 503);
    return;
  }
  const ServerTransactionId id = create_server(view, tags, in, true);
  Message response = make_response(in.message, status, {}, to_tag).build();
  ServerRecord* rec = server(id);
  auto outcome = rec->with_machine([&response](auto& m) { return m.respond(std::move(response)); });
  after_server_event(id, outcome, nullptr);
}

void TransactionLayer::answer_statelessly(const Message& request, const Flow& flow, std::uint16_t status) {
  const Message response = make_response(request, status, {}, make_tag()).build();
  // Nothing to tell anyone if it fails: no transaction exists.
  (void)transport_.send_response(response, flow, [](const Error&) {});
}

void TransactionLayer::after_server_event(ServerTransactionId id, const Result<Outcome>& outcome, InboundMessage* ack) {
  if (!outcome) {
    ++stats_.rejected_events;
    return;
  }
  if (outcome->to_user && ack != nullptr) server_user_.on_ack(std::move(*ack));
  if (outcome->ended) end_server(id, *outcome->ended);
}

void TransactionLayer::end_server(ServerTransactionId id, TransactionEnd reason) {
  ServerRecord* rec = server(id);
  if (rec == nullptr) return;
  if (rec->identity.rfc3261()) {
    const auto it = server_keys_.find(rec->identity.key());
    if (it != server_keys_.end() && it->second == id) server_keys_.erase(it);
  }
  auto [first, last] = server_call_ids_.equal_range(rec->identity.call_id());
  for (auto it = first; it != last; ++it) {
    if (it->second == id) {
      server_call_ids_.erase(it);
      break;
    }
  }
  const bool internal = rec->internal;
  count_end(rec->kind(), reason);
  const std::unique_ptr<ServerRecord> gone = servers_.take(id.value());
  if (!internal) server_user_.on_server_transaction_ended(id, reason);
}

// ---- client transactions ----

Result<ClientTransactionId> TransactionLayer::send_request(Message request, const Target& target,
                                                           ClientTransactionUser& user) {
  if (!request.is_request()) return make_error(Errc::InvalidArgument, "send_request() takes a request");
  const Method method = request.method();
  if (method == Method::Ack) {
    return make_error(Errc::InvalidArgument, "an ACK is not a transaction (§17): send it through the transport");
  }
  if (method == Method::Cancel) return make_error(Errc::InvalidArgument, "use cancel() to send a CANCEL");
  const auto cseq = request.cseq();
  if (!cseq || cseq->method_text != request.method_text()) {
    return make_error(Errc::InvalidArgument, "the request needs a CSeq naming its method");
  }
  if (clients_.size() >= limits_.max_client_transactions) {
    return make_error(Errc::LimitExceeded, "{} client transactions already", clients_.size());
  }

  auto owned = std::make_unique<ClientRecord>();
  ClientRecord* rec = owned.get();
  rec->set_branch(make_branch());
  rec->method = method;
  if (method == Method::Extension) rec->method_text = request.method_text();
  rec->user = &user;
  const ClientTransactionId id{clients_.insert(std::move(owned))};
  const TransactionRef ref = TransactionRef::client(id);
  Result<void> started;
  if (method == Method::Invite) {
    started =
        rec->machine.emplace<ClientInviteTransaction>(context_, ref, std::move(request)).start(target, rec->branch());
  } else {
    started = rec->machine.emplace<ClientNonInviteTransaction>(context_, ref, std::move(request))
                  .start(target, rec->branch());
  }
  if (!started) {
    clients_.take(id.value());
    return tl::unexpected(std::move(started.error()));
  }
  client_keys_.emplace(rec->key(), id);
  ++stats_.created[static_cast<std::size_t>(rec->kind())];
  return id;
}

Result<void> TransactionLayer::cancel(ClientTransactionId id, std::string_view reason) {
  ClientRecord* rec = client(id);
  if (rec == nullptr || rec->internal) return make_error(Errc::NotFound, "no client transaction {}", id);
  ClientInviteTransaction* invite = rec->invite();
  if (invite == nullptr) return make_error(Errc::InvalidState, "only an INVITE transaction can be cancelled");
  if (rec->cancel != ClientRecord::Cancel::None) return {};
  rec->cancel_reason = std::string(reason);
  switch (invite->state()) {
    case ClientInviteTransaction::State::Calling:
      // §9.1: not before a provisional response; after_client_event sends it.
      rec->cancel = ClientRecord::Cancel::Pending;
      return {};
    case ClientInviteTransaction::State::Proceeding: send_cancel(id); return {};
    default: break;
  }
  return make_error(Errc::InvalidState, "the INVITE transaction is {}: nothing to cancel", to_string(invite->state()));
}

void TransactionLayer::send_cancel(ClientTransactionId invite_id) {
  ClientRecord* rec = client(invite_id);
  ClientInviteTransaction* invite = rec == nullptr ? nullptr : rec->invite();
  if (invite == nullptr) return;
  rec->cancel = ClientRecord::Cancel::Sent;
  // §9.1: the INVITE is given up 64*T1 from now if no final response comes,
  // whether or not the CANCEL could be sent.
  invite->start_cancel_guard();
  auto request = build_cancel(invite->request());
  if (!request) return;
  if (!rec->cancel_reason.empty()) request->add_header(HeaderId::Reason, rec->cancel_reason);

  auto owned = std::make_unique<ClientRecord>();
  ClientRecord* cancel = owned.get();
  cancel->set_branch(rec->branch());
  cancel->method = Method::Cancel;
  cancel->internal = true;
  const ClientTransactionId id{clients_.insert(std::move(owned))};
  auto& machine =
      cancel->machine.emplace<ClientNonInviteTransaction>(context_, TransactionRef::client(id), std::move(*request));
  if (!machine.start_on(invite->flow())) {
    clients_.take(id.value());
    return;
  }
  client_keys_.emplace(cancel->key(), id);
  ++stats_.created[static_cast<std::size_t>(TransactionKind::ClientNonInvite)];
}

void TransactionLayer::detach(ClientTransactionId id) noexcept {
  if (ClientRecord* rec = client(id)) rec->user = nullptr;
}

void TransactionLayer::after_client_event(ClientTransactionId id, Result<Outcome> outcome, InboundMessage* response) {
  if (!outcome) {
    ++stats_.rejected_events;
    return;
  }
  ClientRecord* rec = client(id);
  if (rec == nullptr) return;
  if (rec->cancel == ClientRecord::Cancel::Pending) {
    const auto state = rec->invite()->state();
    if (state == ClientInviteTransaction::State::Proceeding) {
      send_cancel(id);
    } else if (state != ClientInviteTransaction::State::Calling) {
      rec->cancel = ClientRecord::Cancel::None;  // a final response came first: nothing to cancel
    }
  }
  if (outcome->to_user && response != nullptr && rec->user != nullptr) {
    rec->user->on_response(id, std::move(*response));
  }
  if (outcome->ended) end_client(id, *outcome->ended);
}

void TransactionLayer::end_client(ClientTransactionId id, TransactionEnd reason) {
  ClientRecord* rec = client(id);
  if (rec == nullptr) return;
  const auto it = client_keys_.find(rec->key());
  if (it != client_keys_.end() && it->second == id) client_keys_.erase(it);
  ClientTransactionUser* user = rec->internal ? nullptr : rec->user;
  count_end(rec->kind(), reason);
  const std::unique_ptr<ClientRecord> gone = clients_.take(id.value());
  if (user != nullptr) user->on_client_transaction_ended(id, reason);
}

// ---- timers and late send failures ----

void TransactionLayer::on_transaction_timer(TransactionRef owner, TimerName name) {
  if (owner.is_client()) {
    const ClientTransactionId id = owner.client_id();
    ClientRecord* rec = client(id);
    if (rec == nullptr) return;
    after_client_event(id, rec->with_machine([name](auto& m) { return m.on_timer(name); }), nullptr);
  } else {
    const ServerTransactionId id = owner.server_id();
    ServerRecord* rec = server(id);
    if (rec == nullptr) return;
    after_server_event(id, rec->with_machine([name](auto& m) { return m.on_timer(name); }), nullptr);
  }
}

void TransactionLayer::on_transaction_send_failure(TransactionRef owner) {
  if (owner.is_client()) {
    const ClientTransactionId id = owner.client_id();
    ClientRecord* rec = client(id);
    if (rec == nullptr) return;
    after_client_event(id, rec->with_machine([](auto& m) { return m.on_transport_error(); }), nullptr);
  } else {
    const ServerTransactionId id = owner.server_id();
    ServerRecord* rec = server(id);
    if (rec == nullptr) return;
    after_server_event(id, rec->with_machine([](auto& m) { return m.on_transport_error(); }), nullptr);
  }
}

}  // namespace voxgate::sip
