#pragma once
// What voxgate's UA implements, in one place: the Allow of a 405 and of an
// OPTIONS answer, the method check of §8.2.1, the Supported/Require check of
// §8.2.2.3 and the body check of §8.2.3 all read these constants.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "sip/message/message.hpp"
#include "sip/message/method.hpp"

namespace voxgate::sip {

// INVITE dialogs and their transactions, plus OPTIONS (§11), and inside a
// dialog INFO (RFC 6086, for DTMF), UPDATE (RFC 3311) and NOTIFY (the
// subscription of a REFER we sent, RFC 3515 §2.4.4; any other NOTIFY gets
// 481). REFER itself is only sent: a peer's REFER gets 405. PRACK and the
// rest join this list when they are implemented, not before.
inline constexpr std::array<Method, 8> kAllowedMethods = {Method::Invite, Method::Ack,     Method::Cancel,
                                                          Method::Bye,    Method::Options, Method::Info,
                                                          Method::Update, Method::Notify};
inline constexpr std::string_view kAllowHeader = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, NOTIFY";

// The option tags (§19.2) we implement: session timers (RFC 4028). Not yet
// 100rel or replaces.
inline constexpr std::array<std::string_view, 1> kSupportedOptionTags = {"timer"};

// The only session description we understand (§8.2.3, §11.2), its encoding
// and language.
inline constexpr std::string_view kAcceptHeader = "application/sdp";
// The Content-Type of the session descriptions we send.
inline constexpr std::string_view kSdpContentType = "application/sdp";
// The INFO bodies we read (RFC 6086 §9 legacy usage: DTMF, sip/message/
// dtmf_relay.hpp); the Accept of a 415 to an INFO with another body.
inline constexpr std::string_view kInfoAcceptHeader = "application/dtmf-relay, application/dtmf";
// The NOTIFY bodies we read (RFC 3515 §2.4.5), the Accept of a 415 to a
// NOTIFY with another body.
inline constexpr std::string_view kNotifyAcceptHeader = "message/sipfrag";
inline constexpr std::string_view kAcceptEncodingHeader = "identity";
inline constexpr std::string_view kAcceptLanguageHeader = "en";

// kSupportedOptionTags as a Supported value: "tag1, tag2" ("" when none).
std::string supported_header_value();

constexpr bool is_allowed_method(Method method) noexcept {
  return std::find(kAllowedMethods.begin(), kAllowedMethods.end(), method) != kAllowedMethods.end();
}

// Whether the peer's Allow in `message` lists `method` (§20.5): we send
// UPDATE only to a peer that allows it (RFC 3311 §5.1).
bool peer_allows(const Message& message, Method method);

}  // namespace voxgate::sip
