#include "app/route_matcher.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include <boost/asio/ip/address.hpp>

#include "base/ascii.hpp"
#include "sip/message/header_id.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::app {
namespace {

// What the conditions compare, worked out once per call rather than once
// per route.
struct CallFacts {
  std::string user;  // unescaped
  std::string_view host;
  std::string_view from;
  std::optional<boost::asio::ip::address> source;
  const sip::Message& invite;
};

std::optional<boost::asio::ip::address> parse_address(std::string_view text) noexcept {
  // make_address wants a C string; an address literal (even IPv6 with a
  // zone) fits in 64 characters, and a copy on the stack cannot throw.
  std::array<char, 64> buffer{};
  if (text.empty() || text.size() >= buffer.size()) return std::nullopt;
  std::copy(text.begin(), text.end(), buffer.begin());
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(buffer.data(), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::address(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()));
  }
  return address;
}

bool block_holds(const AddressBlock& block, const boost::asio::ip::address& address) noexcept {
  if (block.v6 != address.is_v6()) return false;
  std::array<std::uint8_t, 16> bytes{};
  if (address.is_v6()) {
    bytes = address.to_v6().to_bytes();
  } else {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin());
  }
  const unsigned whole = block.prefix / 8U;
  for (unsigned i = 0; i < whole; ++i) {
    if (bytes[i] != block.bytes[i]) return false;
  }
  const unsigned rest = block.prefix % 8U;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFU << (8U - rest));
  return (bytes[whole] & mask) == (block.bytes[whole] & mask);
}

bool header_matches(const sip::Message& message, const HeaderCondition& condition) {
  // By id when the name is a known header, so "f" finds From and "From"
  // finds a compact "f:" field.
  const sip::HeaderId id = sip::header_id_from_name(condition.name);
  return std::ranges::any_of(message.fields(), [&](const sip::HeaderField& field) {
    const bool named = id != sip::HeaderId::Other
                           ? field.id == id
                           : field.id == sip::HeaderId::Other && ascii::iequals(message.name(field), condition.name);
    return named && glob_match(condition.value, message.value(field));
  });
}

bool matches(const RouteMatch& match, const CallFacts& facts) {
  if (match.user && !glob_match(*match.user, facts.user)) return false;
  if (match.host && !glob_match(*match.host, facts.host, true)) return false;
  if (match.from && !glob_match(*match.from, facts.from, true)) return false;
  if (!match.sources.empty()) {
    if (!facts.source) return false;
    const bool inside = std::any_of(match.sources.begin(), match.sources.end(),
                                    [&](const AddressBlock& block) { return block_holds(block, *facts.source); });
    if (!inside) return false;
  }
  return std::all_of(match.headers.begin(), match.headers.end(),
                     [&](const HeaderCondition& condition) { return header_matches(facts.invite, condition); });
}

CallFacts facts_of(const session::IncomingCall& call) {
  CallFacts facts{{}, {}, call.from.uri, parse_address(call.source), call.invite};
  if (auto uri = sip::parse_uri(call.request_uri)) {
    facts.user = sip::unescape(uri->user);
    facts.host = uri->host_address();
  }
  return facts;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case) noexcept {
  const auto same = [ignore_case](char a, char b) {
    return ignore_case ? ascii::to_lower(a) == ascii::to_lower(b) : a == b;
  };
  // Greedy, backtracking only to the last '*': linear for one star,
  // O(pattern x text) at worst, with no recursion.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && same(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool address_in(const AddressBlock& block, std::string_view address) noexcept {
  const auto parsed = parse_address(address);
  return parsed && block_holds(block, *parsed);
}

bool route_matches(const RouteMatch& match, const session::IncomingCall& call) {
  return matches(match, facts_of(call));
}

const RouteConfig* match_route(std::span<const RouteConfig> routes, const session::IncomingCall& call) {
  if (routes.empty()) return nullptr;
  const CallFacts facts = facts_of(call);
  for (const RouteConfig& route : routes) {
    if (matches(route.match, facts)) return &route;
  }
  return nullptr;
}

}  // namespace voxgate::app
