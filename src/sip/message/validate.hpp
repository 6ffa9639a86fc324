#pragma once
// The checks every received message gets before any layer acts on it: the
// mandatory headers are present, single and well-formed (RFC 3261 §8.1.1,
// §8.2, §20; RFC 4475 §3.1.2 and §3.3). What a particular UAS supports
// (methods, extensions, content types: 405/420/415) is decided above.

#include <tl/expected.hpp>

#include "sip/message/message.hpp"
#include "sip/message/parse_error.hpp"

namespace voxgate::sip {

// For a request, a failure carries status 400; for a response, status 0
// (drop: a response cannot be answered).
tl::expected<void, ParseError> validate_message(const Message& message);

}  // namespace voxgate::sip
