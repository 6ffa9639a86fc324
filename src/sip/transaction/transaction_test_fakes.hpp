#pragma once
// Test doubles for the transaction layer, shared by its unit tests and
// tests/fuzz/fuzz_transaction_sequences.cpp (so no GoogleTest here): a
// MessageTransport that records what it is asked to send, users that record
// what they are told, and builders for the messages a peer would send.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "runtime/timer_queue.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/validate.hpp"
#include "sip/transaction/transaction_user.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/message_transport.hpp"

namespace voxgate::sip::testing {

inline Address local_address() {
  return Address{boost::asio::ip::make_address("192.0.2.10"), 5060};
}
inline Address peer_address() {
  return Address{boost::asio::ip::make_address("198.51.100.7"), 5060};
}

// Parses and validates as the transport would before handing a message up.
inline std::optional<Message> parse_valid(std::string_view text) {
  auto parsed = parse_message(text);
  if (!parsed || !validate_message(*parsed)) return std::nullopt;
  return std::move(*parsed);
}

class FakeTransport final : public MessageTransport {
 public:
  enum class Kind : std::uint8_t { Request, OnFlow, Response };
  struct Sent {
    Kind kind;
    std::string bytes;
    Flow flow;
    Clock::TimePoint at;
    std::uint16_t status = 0;  // responses
  };

  explicit FakeTransport(const Clock& clock) : clock_(clock) {}

  Result<Flow> send_request(Message& request, const Target& target, std::string_view branch,
                            SendFailureHandler on_failure) override {
    if (fail_requests) return make_error(Errc::Io, "fake: request refused");
    const TransportKind kind = force_transport.value_or(target.transport);
    request.insert_header(0, HeaderId::Via,
                          fmt::format("SIP/2.0/{} 192.0.2.10:5060;branch={};rport", to_string(kind), branch));
    Flow flow{kind, target.address, local_address(),
              kind == TransportKind::Udp ? ConnectionId{} : ConnectionId{++connections_}};
    sent.push_back(Sent{Kind::Request, request.serialize(), flow, clock_.now()});
    failure_handlers.push_back(std::move(on_failure));
    return flow;
  }

  Result<void> resend(std::string_view bytes, const Flow& flow) override {
    if (fail_on_flow) return make_error(Errc::Io, "fake: resend refused");
    sent.push_back(Sent{Kind::OnFlow, std::string(bytes), flow, clock_.now()});
    return {};
  }

  Result<void> send_response(const Message& response, const Flow& request_flow,
                             SendFailureHandler on_failure) override {
    if (fail_responses) return make_error(Errc::Io, "fake: response refused");
    sent.push_back(Sent{Kind::Response, response.serialize(), request_flow, clock_.now(), response.status()});
    failure_handlers.push_back(std::move(on_failure));
    return {};
  }

  // Reports a late failure of every send so far (a TCP reset), as the real
  // transport would: through the handlers it was given.
  void fail_pending_sends() {
    auto handlers = std::move(failure_handlers);
    failure_handlers.clear();
    for (auto& handler : handlers) {
      if (handler) handler(Error{Errc::Io, "fake: connection reset"});
    }
  }

  [[nodiscard]] std::vector<const Sent*> of_kind(Kind kind) const {
    std::vector<const Sent*> out;
    for (const Sent& s : sent) {
      if (s.kind == kind) out.push_back(&s);
    }
    return out;
  }
  [[nodiscard]] std::vector<std::uint16_t> response_statuses() const {
    std::vector<std::uint16_t> out;
    for (const Sent& s : sent) {
      if (s.kind == Kind::Response) out.push_back(s.status);
    }
    return out;
  }

  std::vector<Sent> sent;
  std::vector<SendFailureHandler> failure_handlers;
  bool fail_requests = false;
  bool fail_on_flow = false;
  bool fail_responses = false;
  std::optional<TransportKind> force_transport;  // as if the transport moved a request to TCP (§18.1.1)

 private:
  const Clock& clock_;
  std::uint64_t connections_ = 0;
};

class RecordingServerUser final : public ServerTransactionUser {
 public:
  struct Ended {
    ServerTransactionId id;
    TransactionEnd reason;
  };

  void on_request(ServerTransactionId id, InboundMessage&& request) override {
    requests.emplace_back(id, request.message);
    if (answer) answer(id, request.message);
  }
  void on_ack(InboundMessage&& ack) override { acks.push_back(std::move(ack.message)); }
  void on_cancel(ServerTransactionId invite, const InboundMessage& cancel) override {
    cancels.emplace_back(invite, cancel.message);
    if (answer_cancel) answer_cancel(invite);
  }
  void on_server_transaction_ended(ServerTransactionId id, TransactionEnd reason) override {
    ended.push_back(Ended{id, reason});
  }

  std::vector<std::pair<ServerTransactionId, Message>> requests;
  std::vector<Message> acks;
  std::vector<std::pair<ServerTransactionId, Message>> cancels;
  std::vector<Ended> ended;
  // Called inside on_request / on_cancel, to answer synchronously.
  std::function<void(ServerTransactionId, const Message&)> answer;
  std::function<void(ServerTransactionId)> answer_cancel;
};

class RecordingClientUser final : public ClientTransactionUser {
 public:
  struct Ended {
    ClientTransactionId id;
    TransactionEnd reason;
  };

  void on_response(ClientTransactionId id, InboundMessage&& response) override {
    responses.emplace_back(id, std::move(response.message));
  }
  void on_client_transaction_ended(ClientTransactionId id, TransactionEnd reason) override {
    ended.push_back(Ended{id, reason});
  }

  [[nodiscard]] std::vector<std::uint16_t> statuses() const {
    std::vector<std::uint16_t> out;
    for (const auto& [id, m] : responses) out.push_back(m.status());
    return out;
  }

  std::vector<std::pair<ClientTransactionId, Message>> responses;
  std::vector<Ended> ended;
};

// A request as a peer sends it; every field can be varied.
struct RequestSpec {
  std::string method = "INVITE";
  std::string request_uri = "sip:bob@192.0.2.10";
  std::string branch = "z9hG4bKpeer1";  // "" for none
  std::string via_host = "198.51.100.7";
  std::optional<std::uint16_t> via_port = 5060;
  TransportKind transport = TransportKind::Udp;
  std::string call_id = "call-1@198.51.100.7";
  std::string from_tag = "ft1";
  std::string to_tag;  // "" for none
  std::uint32_t cseq = 1;
  std::string cseq_method;  // "" for `method`
};

inline std::string request_text(const RequestSpec& spec) {
  std::string via = fmt::format("SIP/2.0/{} {}", to_string(spec.transport), spec.via_host);
  if (spec.via_port) via += fmt::format(":{}", *spec.via_port);
  if (!spec.branch.empty()) via += fmt::format(";branch={}", spec.branch);
  via += ";received=198.51.100.7;rport=5060";
  std::string to = "<sip:bob@192.0.2.10>";
  if (!spec.to_tag.empty()) to += ";tag=" + spec.to_tag;
  return fmt::format(
      "{} {} SIP/2.0\r\n"
      "Via: {}\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:alice@198.51.100.7>;tag={}\r\n"
      "To: {}\r\n"
      "Call-ID: {}\r\n"
      "CSeq: {} {}\r\n"
      "Contact: <sip:alice@198.51.100.7>\r\n"
      "Content-Length: 0\r\n\r\n",
      spec.method, spec.request_uri, via, spec.from_tag, to, spec.call_id, spec.cseq,
      spec.cseq_method.empty() ? spec.method : spec.cseq_method);
}

inline Flow peer_flow(TransportKind transport) {
  return Flow{transport, peer_address(), local_address(),
              transport == TransportKind::Udp ? ConnectionId{} : ConnectionId{77}};
}

// A response to the request we sent (bytes as sent), as the peer would send it.
inline std::optional<Message> response_to(std::string_view sent_request, std::uint16_t status,
                                          std::string_view to_tag = "uas-tag") {
  const auto request = parse_valid(sent_request);
  if (!request) return std::nullopt;
  return parse_valid(make_response(*request, status, {}, to_tag).build().serialize());
}

}  // namespace voxgate::sip::testing
