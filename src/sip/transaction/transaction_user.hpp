#pragma once
// The upcalls of the transaction layer: what the transaction user (TU, the
// UAS/UAC cores of sip/dialog) is told. Small typed interfaces; every call
// happens on the layer's loop. An upcall may call back into the layer
// (respond(), send_request(), cancel(), detach()).

#include "sip/transaction/transaction_ids.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class ServerTransactionUser {
 public:
  virtual ~ServerTransactionUser() = default;

  // A new request: a server transaction was created for it. Answer it with
  // TransactionLayer::respond(id, ...), now or later. For an INVITE the layer
  // sends 100 Trying itself when this call returns without a response
  // (§17.2.1).
  virtual void on_request(ServerTransactionId id, InboundMessage&& request) = 0;

  // An ACK that belongs to no server transaction in Completed or Confirmed:
  // the ACK of a 2xx (its own transaction, §17), or one reaching an INVITE
  // transaction in Accepted (RFC 6026 §7.1). The dialog layer matches it.
  virtual void on_ack(InboundMessage&& ack) = 0;

  // A CANCEL matched the INVITE transaction `invite` before it sent a final
  // response (§9.2). The layer already answered the CANCEL with 200; the
  // user should now answer the INVITE with 487 (Request Terminated).
  virtual void on_cancel(ServerTransactionId invite, const InboundMessage& cancel) = 0;

  // The transaction is gone: Timers H/I/J/L ran out, or the transport failed.
  // `reason` is Timeout when Timer H fired (no ACK for a non-2xx final
  // response). Called once per id given to on_request, never for the
  // transactions the layer answers itself (CANCEL, 481, 482, 503). May be
  // called from inside respond() when the transport fails at once.
  virtual void on_server_transaction_ended(ServerTransactionId id, TransactionEnd reason) = 0;
};

// Lifetime: the layer keeps a reference to the ClientTransactionUser given to
// send_request() until the transaction ends (on_client_transaction_ended) or
// the user calls TransactionLayer::detach(id). A user that goes away earlier
// must detach every transaction it started first.
class ClientTransactionUser {
 public:
  virtual ~ClientTransactionUser() = default;

  // A provisional or final response matched the transaction (§17.1.3). For an
  // INVITE: every 1xx, the non-2xx final response once (the layer ACKs it,
  // §17.1.1.3), and every 2xx (the user ACKs those, §13.2.2.4; RFC 6026 §7.2).
  virtual void on_response(ClientTransactionId id, InboundMessage&& response) = 0;

  // The transaction is gone: Completed after its final response (and Timer
  // D/K/M), Timeout (Timer B/F, or no final response 64*T1 after a CANCEL),
  // or TransportError. Called once per id, unless detached; called from the
  // layer's own processing (a response, a timer, a late transport failure),
  // never from inside a call the user makes into the layer.
  virtual void on_client_transaction_ended(ClientTransactionId id, TransactionEnd reason) = 0;
};

}  // namespace voxgate::sip
