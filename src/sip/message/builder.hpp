#pragma once
// Building new messages: MessageBuilder for requests and responses, and
// make_response() for the response to a received request (§8.2.6).

#include <cstdint>
#include <string_view>

#include "sip/message/message.hpp"

namespace voxgate::sip {

// The reason phrase RFC 3261 §21 (and the extensions that define codes) give
// a status; "" for codes without one.
std::string_view default_reason(std::uint16_t status) noexcept;

class MessageBuilder {
 public:
  // `method` must name a method (not Method::Extension: pass the token).
  static MessageBuilder request(Method method, std::string_view request_uri);
  static MessageBuilder request(std::string_view method_token, std::string_view request_uri);
  // An empty reason means default_reason(status).
  static MessageBuilder response(std::uint16_t status, std::string_view reason = {});

  MessageBuilder& header(HeaderId id, std::string_view value);
  MessageBuilder& header(std::string_view name, std::string_view value);
  MessageBuilder& body(std::string_view content_type, std::string_view content);

  // Adds Content-Length (always: §20.14 wants it on every stream message, and
  // it costs nothing on datagrams) and hands the message over; the builder
  // is empty afterwards.
  [[nodiscard]] Message build();

 private:
  explicit MessageBuilder(Message message) : message_(std::move(message)) {}

  Message message_;
};

// A response to `request` per §8.2.6.2: every Via, From, To, Call-ID and
// CSeq copied verbatim; `to_tag` added to To when it has none and the status
// is above 100; Timestamp copied into a 100 (§8.2.6.1). Works on the partial
// request of a ParseFailure too, since nothing is re-parsed except To's tag.
MessageBuilder make_response(const Message& request, std::uint16_t status, std::string_view reason = {},
                             std::string_view to_tag = {});

}  // namespace voxgate::sip
