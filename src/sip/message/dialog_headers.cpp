#include "sip/message/dialog_headers.hpp"

#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

// A leading word (token or Call-ID), then parameters to the end.
template <class Out>
Parsed<Out> parse_word_and_params(std::string_view value, std::uint16_t word_class, std::string_view what,
                                  std::string_view& word, Out& out) {
  detail::Scanner in(value);
  in.skip_ws();
  word = in.take_while(word_class);
  if (word.empty()) return syntax_error("bad " + std::string(what) + ": missing value");
  if (auto err = detail::parse_header_params(in, out.params))
    return syntax_error("bad " + std::string(what) + ": " + *err);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad " + std::string(what) + ": trailing characters");
  return out;
}

std::optional<std::uint32_t> delta_param(const Params& params, std::string_view name) {
  const auto v = params.get(name);
  if (!v) return std::nullopt;
  auto value = parse_delta_seconds(*v, name);
  if (!value) return std::nullopt;
  return *value;
}

}  // namespace

Parsed<Replaces> parse_replaces(std::string_view value) {
  Replaces out;
  auto parsed = parse_word_and_params(value, detail::kCallId, "Replaces", out.call_id, out);
  if (!parsed) return parsed;
  if (!parse_call_id(out.call_id)) return syntax_error("bad Replaces: malformed Call-ID");
  const auto to = out.params.get("to-tag");
  const auto from = out.params.get("from-tag");
  if (!to || to->empty() || !from || from->empty())
    return syntax_error("bad Replaces: to-tag and from-tag are required");
  out.to_tag = *to;
  out.from_tag = *from;
  out.early_only = out.params.has("early-only");
  return out;
}

Parsed<Event> parse_event(std::string_view value) {
  Event out;
  return parse_word_and_params(value, detail::kToken, "Event", out.package, out);
}

std::optional<std::uint32_t> SubscriptionState::expires() const noexcept {
  return delta_param(params, "expires");
}

std::optional<std::uint32_t> SubscriptionState::retry_after() const noexcept {
  return delta_param(params, "retry-after");
}

Parsed<SubscriptionState> parse_subscription_state(std::string_view value) {
  SubscriptionState out;
  auto parsed = parse_word_and_params(value, detail::kToken, "Subscription-State", out.status_text, out);
  if (!parsed) return parsed;
  if (ascii::iequals(out.status_text, "active")) {
    out.status = SubscriptionStatus::Active;
  } else if (ascii::iequals(out.status_text, "pending")) {
    out.status = SubscriptionStatus::Pending;
  } else if (ascii::iequals(out.status_text, "terminated")) {
    out.status = SubscriptionStatus::Terminated;
  }
  for (std::string_view name : {"expires", "retry-after"}) {
    if (out.params.has(name) && !delta_param(out.params, name)) {
      return syntax_error("bad Subscription-State: invalid " + std::string(name));
    }
  }
  return out;
}

}  // namespace voxgate::sip
