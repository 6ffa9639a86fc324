#pragma once
// The small interfaces between the transport and the transaction layer above
// it. The transport calls InboundMessageHandler; the layers above call
// MessageTransport. Both are per worker loop: each loop has its own
// MessageTransport and its own handler, and the transport delivers a message
// on the loop that owns its Call-ID (docs/ARCHITECTURE.md, "Threading").

#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class InboundMessageHandler {
 public:
  virtual ~InboundMessageHandler() = default;
  // A parsed, validated message, on the loop that owns its Call-ID.
  virtual void on_message(InboundMessage&& message) = 0;
};

// Called (on the loop that sent) when a send fails after send_request or
// send_response returned: a TCP connect refused, a connection reset before
// the bytes left. The transaction layer turns it into a transport error for
// its user (§17.1.4, §17.2.4).
using SendFailureHandler = std::function<void(const Error& error)>;

class MessageTransport {
 public:
  virtual ~MessageTransport() = default;

  // Sends a request to `target`. The transport owns the top Via: it inserts
  // `Via: SIP/2.0/<transport> <sent-by>;branch=<branch>;rport` (RFC 3581 §3)
  // as the first header of `request`, after choosing the transport: a UDP
  // request within 200 bytes of the path MTU goes over TCP instead (§18.1.1).
  // Over TCP it reuses a connection to the target or opens one. Returns the
  // flow used; `request.serialize()` afterwards is exactly what was sent.
  // Must be called on this transport's loop.
  virtual Result<Flow> send_request(Message& request, const Target& target, std::string_view branch,
                                    SendFailureHandler on_failure) = 0;

  // Sends `bytes` again on `flow` (a retransmission, §17.1.1.2/§17.2.1).
  virtual Result<void> resend(std::string_view bytes, const Flow& flow) = 0;

  // Sends a response per §18.2.2 and RFC 3581 §4, given the flow the request
  // arrived on: over its connection while open (else a new one to the Via's
  // received/port), to the Via's maddr, or to received:rport / received:port.
  virtual Result<void> send_response(const Message& response, const Flow& request_flow,
                                     SendFailureHandler on_failure) = 0;
};

}  // namespace voxgate::sip
