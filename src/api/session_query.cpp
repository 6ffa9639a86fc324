#include "api/session_query.hpp"

#include <algorithm>
#include <charconv>

#include "api/json_codec.hpp"

namespace voxgate::api {

Result<std::uint64_t> parse_count(std::string_view name, std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not a non-negative integer", name, text);
  }
  return value;
}

Result<session::Direction> parse_direction(std::string_view text) {
  if (text == "inbound") return session::Direction::Inbound;
  if (text == "outbound") return session::Direction::Outbound;
  return make_error(Errc::InvalidArgument, "direction: '{}' is neither inbound nor outbound", text);
}

std::optional<session::SessionState> parse_session_state(std::string_view text) {
  for (std::size_t i = 0; i < session::kSessionStateCount; ++i) {
    const auto state = static_cast<session::SessionState>(i);
    if (snake_case(session::to_string(state)) == text) return state;
  }
  return std::nullopt;
}

Result<session::SessionId> parse_session_id(std::string_view text) {
  auto value = parse_count("session id", text);
  if (!value || *value == 0) return make_error(Errc::InvalidArgument, "'{}' is not a session id", text);
  return session::SessionId(*value);
}

Result<session::SessionFilter> session_filter_from(const net::QueryParams& params,
                                                   std::span<const std::string_view> also_allowed) {
  session::SessionFilter filter;
  for (const auto& [name, value] : params) {
    if (std::find(also_allowed.begin(), also_allowed.end(), name) != also_allowed.end()) continue;
    if (name == "state") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto one = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto state = parse_session_state(one);
        if (!state) return make_error(Errc::InvalidArgument, "state: '{}' is not a session state", one);
        filter.states.insert(*state);
      }
    } else if (name == "direction") {
      auto direction = parse_direction(value);
      if (!direction) return tl::unexpected(direction.error());
      filter.direction = *direction;
    } else if (name == "from") {
      filter.from = value;
    } else if (name == "to") {
      filter.to = value;
    } else if (name == "party") {
      filter.party = value;
    } else if (name.starts_with("meta.")) {
      if (name.size() == 5) return make_error(Errc::InvalidArgument, "meta.: the key is missing");
      filter.metadata.emplace_back(name.substr(5), value);
    } else if (name == "created_after" || name == "created_before") {
      auto time = parse_time(value);
      if (!time) return make_error(Errc::InvalidArgument, "{}: {}", name, time.error().message);
      (name == "created_after" ? filter.created_after : filter.created_before) = *time;
    } else if (name == "limit") {
      auto limit = parse_count("limit", value);
      if (!limit) return tl::unexpected(limit.error());
      filter.limit = static_cast<std::size_t>(*limit);
    } else if (name == "cursor") {
      auto cursor = parse_count("cursor", value);
      if (!cursor) return tl::unexpected(cursor.error());
      filter.cursor = session::SessionId(*cursor);
    } else {
      return make_error(Errc::InvalidArgument, "unknown parameter '{}'", name);
    }
  }
  if (auto valid = session::validate(filter); !valid) return tl::unexpected(valid.error());
  return filter;
}

}  // namespace voxgate::api
