#pragma once
// The INVITE that starts a call we place (RFC 3261 §8.1.1, §13.2.1).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sip/dialog/identifiers.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

struct OutgoingInvite {
  std::string request_uri;         // whom we call: "sip:bob@192.0.2.4"
  std::string from;                // our address of record, no tag: "Alice <sip:alice@example.com>"
  std::string to;                  // theirs, no tag: "<sip:bob@example.com>"
  std::string contact;             // where the peer reaches us: "sip:voxgate@192.0.2.1:5060"
  std::vector<std::string> route;  // preloaded route (an outbound proxy), each "<sip:...;lr>"
  std::string sdp_offer;           // empty for an INVITE without offer (the offer comes in the 2xx)
};

// The identifiers a new INVITE gets (§8.1.1.3-§8.1.1.5).
struct InviteIdentity {
  std::string call_id;
  std::string from_tag;
  std::uint32_t cseq = 1;  // §8.1.1.5: any value below 2^31
};

// A fresh Call-ID (with `host` when given) and From tag.
InviteIdentity new_invite_identity(const RandomBits& random, std::string_view host = {});

// Request-URI, Route, Max-Forwards: 70, From with tag, To, Call-ID, CSeq,
// Contact, Allow, Supported (when we support anything), and the offer with
// Content-Type: application/sdp. No Via: the transport adds it. Fails when
// an address or URI does not parse.
Result<Message> build_invite(const OutgoingInvite& invite, const InviteIdentity& identity);

}  // namespace voxgate::sip
