#pragma once
// Which [[routes]] entry an incoming call takes: the first, in order,
// whose every `match` condition holds (routing_config.hpp says what each
// compares). Pure functions of the routes and the call, so any worker loop
// may call them at once.

#include <span>
#include <string_view>

#include "app/routing_config.hpp"
#include "session/incoming_call.hpp"

namespace voxgate::app {

// The whole of `text` against `pattern`, where '*' matches any run of
// characters (none included) and every other character itself.
bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case = false) noexcept;

// Whether `address` (an IP literal, as IncomingCall::source) lies in
// `block`; false for anything that is not an address.
bool address_in(const AddressBlock& block, std::string_view address) noexcept;

bool route_matches(const RouteMatch& match, const session::IncomingCall& call);

// The first route matching `call`; nullptr when none does.
const RouteConfig* match_route(std::span<const RouteConfig> routes, const session::IncomingCall& call);

}  // namespace voxgate::app
