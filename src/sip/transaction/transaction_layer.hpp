#pragma once
// The transaction layer of one worker loop (RFC 3261 §17): it matches every
// message the transport hands up to a transaction, runs the four state
// machines, and talks to its users through handles. One per loop, touched
// only from that loop's thread, so it takes no locks.
//
// Inbound (InboundMessageHandler::on_message), each message classified once:
//   response  -> its client transaction by branch + CSeq method (§17.1.3),
//                or dropped and counted when none (§18.1.2, RFC 6026 §8);
//   request   -> its server transaction by branch + sent-by + method, or the
//                RFC 2543 fields when the branch lacks the cookie (§17.2.3):
//                a retransmission is absorbed (the last response resent);
//   ACK       -> the INVITE transaction it completes (absorbed), else up
//                to the user as the ACK of a 2xx (on_ack);
//   CANCEL    -> answered here: 200 when it matches an INVITE transaction
//                (and the user told, §9.2), 481 when it matches nothing;
//   merged    -> a request without To tag whose From tag, Call-ID and CSeq
//                are those of a live transaction it does not match: 482
//                (§8.2.2.2);
//   other     -> a new server transaction; the user gets on_request, and an
//                INVITE gets 100 Trying unless the user answered at once.
//
// The layer answers CANCEL, 481, 482 and 503 (over the transaction limit)
// itself, through server transactions its user never sees.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/detail/slot_map.hpp"
#include "sip/transaction/timer_settings.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transaction/transaction_ids.hpp"
#include "sip/transaction/transaction_key.hpp"
#include "sip/transaction/transaction_stats.hpp"
#include "sip/transaction/transaction_user.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/message_transport.hpp"

namespace voxgate::sip {

struct TransactionLimits {
  // New requests beyond this are answered 503 statelessly.
  std::size_t max_server_transactions = 200'000;
  // send_request() fails with Errc::LimitExceeded beyond this.
  std::size_t max_client_transactions = 200'000;
};

// 64 random bits per call: branches and To tags are built from it. Tests
// inject a deterministic one; the default is a std::mt19937_64 seeded from
// std::random_device.
using RandomSource = std::function<std::uint64_t()>;

class TransactionLayer final : public InboundMessageHandler, private TransactionEvents {
 public:
  // Throws std::invalid_argument for settings validate() rejects (a start-up
  // error). Every reference must outlive the layer. The transport must not
  // call a SendFailureHandler the layer gave it after the layer is gone.
  TransactionLayer(runtime::Timers& timers, MessageTransport& transport, ServerTransactionUser& server_user,
                   const TimerSettings& settings = {}, const TransactionLimits& limits = {}, RandomSource random = {});
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;
  // Drops every transaction (timers cancelled) without telling the users.
  ~TransactionLayer() override;

  // From the transport: a parsed, validated message on this loop.
  void on_message(InboundMessage&& message) override;

  // Sends `response` on server transaction `id`. Errors: NotFound (the
  // transaction ended), InvalidArgument (not a response, or a status outside
  // 100-699), InvalidState (the machine's state does not take it, e.g. a
  // 1xx after the final response), Io (the transport failed: the transaction
  // has ended, and on_server_transaction_ended was called).
  Result<void> respond(ServerTransactionId id, Message response);

  // Starts a client transaction for `request` (not ACK: a 2xx's ACK is not a
  // transaction, send it through the MessageTransport; not CANCEL: use
  // cancel()). The layer picks the branch (z9hG4bK + random); the transport
  // inserts the Via. `user` is told of responses and of the end; see
  // ClientTransactionUser for its lifetime.
  Result<ClientTransactionId> send_request(Message request, const Target& target, ClientTransactionUser& user);

  // Cancels the INVITE client transaction `id` (§9.1): builds the CANCEL and
  // sends it, as a client transaction of its own, once a provisional
  // response has arrived (at once if one has). If no final response follows
  // within 64*T1, the INVITE transaction ends with Timeout. Calling it again
  // is a no-op. Errors: NotFound, InvalidState (not an INVITE, or its final
  // response arrived). `reason`: a Reason header value for the CANCEL
  // (RFC 3326 §2, checked by the caller), "" for none.
  Result<void> cancel(ClientTransactionId id, std::string_view reason = {});

  // The user of `id` is no longer called; the transaction runs on (absorbing
  // retransmissions, ACKing) until its timers end it.
  void detach(ClientTransactionId id) noexcept;

  [[nodiscard]] std::optional<TransactionState> state(ServerTransactionId id) const noexcept;
  [[nodiscard]] std::optional<TransactionState> state(ClientTransactionId id) const noexcept;
  [[nodiscard]] std::size_t server_transactions() const noexcept { return servers_.size(); }
  [[nodiscard]] std::size_t client_transactions() const noexcept { return clients_.size(); }
  [[nodiscard]] const TransactionStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const TimerSettings& settings() const noexcept { return settings_; }

 private:
  struct ServerRecord;
  struct ClientRecord;

  // TransactionEvents
  void on_transaction_timer(TransactionRef owner, TimerName name) override;
  void on_transaction_send_failure(TransactionRef owner) override;

  // Inbound
  void on_request(InboundMessage&& in);
  void on_ack_request(InboundMessage&& in, const RequestView& view);
  void on_cancel_request(InboundMessage&& in, const RequestView& view);
  void on_response(InboundMessage&& in);
  // The matching server transaction, or ServerTransactionId{} when none.
  ServerTransactionId find_server(const RequestView& view, const DialogTags& tags, const Message& request) const;
  ServerTransactionId find_cancelled(const RequestView& view, const DialogTags& tags, const Message& cancel) const;
  ServerTransactionId find_ack_target(const RequestView& view, const Message& ack) const;
  bool is_merged(const RequestView& view, const DialogTags& tags) const;
  bool server_table_full() const noexcept { return servers_.size() >= limits_.max_server_transactions; }

  // Server transactions
  ServerTransactionId create_server(const RequestView& view, const DialogTags& tags, const InboundMessage& in,
                                    bool internal);
  void answer_internally(const RequestView& view, const DialogTags& tags, const InboundMessage& in,
                         std::uint16_t status, std::string_view to_tag);
  void answer_statelessly(const Message& request, const Flow& flow, std::uint16_t status);
  void after_server_event(ServerTransactionId id, const Result<Outcome>& outcome, InboundMessage* ack);
  void end_server(ServerTransactionId id, TransactionEnd reason);
  ServerRecord* server(ServerTransactionId id) const noexcept;

  // Client transactions
  void after_client_event(ClientTransactionId id, Result<Outcome> outcome, InboundMessage* response);
  void end_client(ClientTransactionId id, TransactionEnd reason);
  void send_cancel(ClientTransactionId invite_id);
  ClientRecord* client(ClientTransactionId id) const noexcept;

  std::string make_branch();
  std::string make_tag();
  void count_end(TransactionKind kind, TransactionEnd reason) noexcept;

  ServerTransactionUser& server_user_;
  MessageTransport& transport_;
  TimerSettings settings_;
  TransactionLimits limits_;
  TransactionStats stats_;
  TransactionContext context_;
  RandomSource random_;
  std::mt19937_64 default_random_;
  std::uint32_t branch_counter_ = 0;

  detail::SlotMap<ServerRecord> servers_;
  detail::SlotMap<ClientRecord> clients_;
  // Keys and Call-IDs are views into the records' own storage.
  std::unordered_map<ServerKey, ServerTransactionId, ServerKeyHash, ServerKeyEqual> server_keys_;
  std::unordered_multimap<std::string_view, ServerTransactionId> server_call_ids_;
  std::unordered_map<ClientKey, ClientTransactionId, ClientKeyHash, ClientKeyEqual> client_keys_;
};

}  // namespace voxgate::sip
