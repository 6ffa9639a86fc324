#include "sip/transport/sip_message_counts.hpp"

#include "base/ascii.hpp"

namespace voxgate::sip {

namespace {

bool is_counted_status(std::uint16_t status) noexcept {
  return status >= kLowestStatus && status <= kHighestStatus;
}

}  // namespace

std::uint64_t SipMessageCounts::responses_of(std::uint16_t status) const noexcept {
  return is_counted_status(status) ? responses[status - kLowestStatus] : 0;
}

SipMessageCounts& SipMessageCounts::operator+=(const SipMessageCounts& other) noexcept {
  for (std::size_t i = 0; i < requests.size(); ++i) requests[i] += other.requests[i];
  for (std::size_t i = 0; i < responses.size(); ++i) responses[i] += other.responses[i];
  return *this;
}

void SipMessageCounters::count(const Message& message) noexcept {
  if (message.is_request()) {
    count_request(message.method());
  } else {
    count_response(message.status());
  }
}

void SipMessageCounters::count_serialized(std::string_view bytes) noexcept {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2); we
  // serialize the version as "SIP/2.0" and nothing else.
  constexpr std::string_view kStatusLineStart = "SIP/2.0 ";
  if (bytes.starts_with(kStatusLineStart)) {
    const std::string_view code = bytes.substr(kStatusLineStart.size(), 3);
    if (code.size() == 3 && ascii::is_digit(code[0]) && ascii::is_digit(code[1]) && ascii::is_digit(code[2])) {
      count_response(static_cast<std::uint16_t>((code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0')));
    }
    return;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1). The longest
  // known method is 9 characters: a longer token is an extension anyway.
  constexpr std::size_t kLongestMethod = 16;
  const std::string_view head = bytes.substr(0, kLongestMethod + 1);
  count_request(method_from_token(head.substr(0, head.find(' '))));
}

void SipMessageCounters::count_response(std::uint16_t status) noexcept {
  if (is_counted_status(status)) responses_[status - kLowestStatus].add();
}

SipMessageCounts SipMessageCounters::snapshot() const noexcept {
  SipMessageCounts s;
  for (std::size_t i = 0; i < requests_.size(); ++i) s.requests[i] = requests_[i].get();
  for (std::size_t i = 0; i < responses_.size(); ++i) s.responses[i] = responses_[i].get();
  return s;
}

}  // namespace voxgate::sip
