#include "sip/dialog/refer_subscription.hpp"

#include <utility>

namespace voxgate::sip {

namespace {

using P = TransferPhase;

constexpr std::pair<P, P> kTransferMoves[] = {
    {P::Idle, P::Referring},
    {P::Referring, P::Subscribed},
    {P::Referring, P::Idle},
    {P::Subscribed, P::Idle},
};

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string_view to_string(TransferPhase phase) noexcept {
  switch (phase) {
    case P::Idle: return "Idle";
    case P::Referring: return "Referring";
    case P::Subscribed: return "Subscribed";
  }
  return "Unknown";
}

Result<void> check_transfer_move(TransferPhase from, TransferPhase to) {
  for (const auto& [a, b] : kTransferMoves) {
    if (a == from && b == to) return {};
  }
  return make_error(Errc::InvalidState, "transfer cannot go from {} to {}", to_string(from), to_string(to));
}

Result<std::uint16_t> sipfrag_status(std::string_view body) {
  // RFC 3420 §2: a sipfrag is a partial SIP message; RFC 3515 §2.4.5
  // requires at least its start line, the status line of the response the
  // transferee got to its request to the target.
  constexpr std::string_view kVersion = "SIP/2.0 ";
  const std::string_view line = body.substr(0, body.find_first_of("\r\n"));
  if (!line.starts_with(kVersion)) {
    return make_error(Errc::InvalidArgument, "sipfrag does not open with a SIP/2.0 status line");
  }
  const std::string_view rest = line.substr(kVersion.size());
  if (rest.size() < 3 || !is_digit(rest[0]) || !is_digit(rest[1]) || !is_digit(rest[2]) ||
      (rest.size() > 3 && rest[3] != ' ')) {
    return make_error(Errc::InvalidArgument, "sipfrag status line has no three-digit status code");
  }
  const auto status = static_cast<std::uint16_t>((rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0'));
  if (status < 100 || status > 699) {
    return make_error(Errc::InvalidArgument, "sipfrag status {} is outside 100-699", status);
  }
  return status;
}

}  // namespace voxgate::sip
