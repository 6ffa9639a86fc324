#pragma once
// Headers that name a dialog or a subscription: Replaces (RFC 3891 §6.1),
// Event and Subscription-State (RFC 6665 §8.2).

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct Replaces {
  std::string_view call_id;
  std::string_view to_tag;
  std::string_view from_tag;
  bool early_only = false;
  Params params;
};

Parsed<Replaces> parse_replaces(std::string_view value);

struct Event {
  std::string_view package;  // event-type, e.g. "refer", "dialog", "presence.winfo"
  Params params;

  [[nodiscard]] std::optional<std::string_view> id() const noexcept { return params.get("id"); }
};

Parsed<Event> parse_event(std::string_view value);

enum class SubscriptionStatus : std::uint8_t { Active, Pending, Terminated, Extension };

struct SubscriptionState {
  SubscriptionStatus status = SubscriptionStatus::Extension;
  std::string_view status_text;
  Params params;

  [[nodiscard]] std::optional<std::string_view> reason() const noexcept { return params.get("reason"); }
  [[nodiscard]] std::optional<std::uint32_t> expires() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> retry_after() const noexcept;
};

Parsed<SubscriptionState> parse_subscription_state(std::string_view value);

}  // namespace voxgate::sip
