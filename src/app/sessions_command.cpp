#include "app/sessions_command.hpp"

#include <chrono>
#include <ostream>
#include <string_view>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_codec.hpp"
#include "app/table_printer.hpp"

namespace voxgate::app {
namespace {

constexpr std::size_t kUriWidth = 32;
constexpr std::size_t kMetadataWidth = 40;

std::string string_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return {};
  if (value->is_string()) return std::string(value->get_string());
  return boost::json::serialize(*value);
}

std::optional<Clock::WallTime> time_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  auto time = api::parse_time(value->get_string());
  return time ? std::optional(*time) : std::nullopt;
}

// "2026-11-22T10:04:05.123Z" -> "2026-11-22 10:04:05" (UTC, as the API gives it).
std::string short_time(std::string text) {
  if (text.size() >= 19 && text[10] == 'T') {
    text.resize(19);
    text[10] = ' ';
  }
  return text;
}

std::string age_or_duration(const boost::json::object& session, Clock::WallTime now) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  if (const auto ended = time_field(session, "ended")) {
    const auto answered = time_field(session, "answered");
    return answered ? format_age(duration_cast<seconds>(*ended - *answered)) : "-";
  }
  const auto created = time_field(session, "created");
  return created ? format_age(duration_cast<seconds>(now - *created)) : "-";
}

std::string compact_metadata(const boost::json::object& session) {
  const auto* metadata = session.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return {};
  std::string text;
  for (const auto& [key, value] : metadata->get_object()) {
    if (!text.empty()) text += ',';
    text += std::string_view(key);
    text += '=';
    text += value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value);
  }
  return text;
}

// One page: the sessions and the cursor of the next, if any.
struct Page {
  boost::json::array sessions;
  std::string next_cursor;
};

Result<Page> read_page(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(body, ec);
  const auto* object = !ec ? document.if_object() : nullptr;
  const auto* sessions = object != nullptr ? object->if_contains("sessions") : nullptr;
  if (sessions == nullptr || !sessions->is_array()) {
    return make_error(Errc::InvalidArgument, "the API's answer is not a page of sessions");
  }
  Page page;
  page.sessions = sessions->get_array();
  if (const auto* next = object->if_contains("next_cursor"); next != nullptr && next->is_string()) {
    page.next_cursor = std::string(next->get_string());
  }
  return page;
}

}  // namespace

std::string format_age(std::chrono::seconds age) {
  const auto total = std::max<std::int64_t>(age.count(), 0);
  const std::int64_t days = total / 86400;
  const std::int64_t hours = total % 86400 / 3600;
  const std::int64_t minutes = total % 3600 / 60;
  const std::int64_t seconds = total % 60;
  if (days > 0) return fmt::format("{}d{:02}h", days, hours);
  if (hours > 0) return fmt::format("{}h{:02}m", hours, minutes);
  if (minutes > 0) return fmt::format("{}m{:02}s", minutes, seconds);
  return fmt::format("{}s", seconds);
}

Result<std::string> sessions_query(const SessionsOptions& options) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string states;
  for (const auto& state : options.states) {
    if (state.empty()) continue;
    if (!states.empty()) states += ',';
    states += state;
  }
  if (!states.empty()) params.emplace_back("state", states);
  if (!options.direction.empty()) params.emplace_back("direction", options.direction);
  if (!options.from.empty()) params.emplace_back("from", options.from);
  if (!options.to.empty()) params.emplace_back("to", options.to);
  for (const auto& pair : options.meta) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return make_error(Errc::InvalidArgument, "--meta: '{}' is not key=value", pair);
    }
    params.emplace_back("meta." + pair.substr(0, equals), pair.substr(equals + 1));
  }
  if (options.limit) params.emplace_back("limit", std::to_string(*options.limit));
  std::string query;
  for (const auto& [name, value] : params) {
    query += query.empty() ? '?' : '&';
    query += url_escape(name) + "=" + url_escape(value);
  }
  return query;
}

void print_session_table(const boost::json::array& sessions, Clock::WallTime now, std::ostream& out) {
  if (sessions.empty()) {
    out << "no sessions\n";
    return;
  }
  TablePrinter table({{"ID"},
                      {"STATE"},
                      {"DIRECTION"},
                      {"FROM", kUriWidth},
                      {"TO", kUriWidth},
                      {"CREATED"},
                      {"AGE/DURATION"},
                      {"METADATA", kMetadataWidth}});
  for (const auto& value : sessions) {
    if (!value.is_object()) continue;
    const auto& session = value.get_object();
    table.add_row({string_field(session, "id"), string_field(session, "state"), string_field(session, "direction"),
                   string_field(session, "from"), string_field(session, "to"),
                   short_time(string_field(session, "created")), age_or_duration(session, now),
                   compact_metadata(session)});
  }
  table.print(out);
}

int run_sessions(const SessionsOptions& options, const EnvironmentLookup& getenv, std::ostream& out,
                 std::ostream& err) {
  auto endpoint = resolve_api_endpoint(options.endpoint, getenv);
  auto query = sessions_query(options);
  if (!endpoint || !query) {
    err << "voxgate sessions: " << (!endpoint ? endpoint.error() : query.error()).message << "\n";
    return 2;
  }
  boost::json::array sessions;
  std::string cursor;  // as the API gave it; "" for the first page
  bool more = false;   // the last page read has a next one
  for (;;) {
    const std::string target = "/v1/sessions" + *query +
                               (cursor.empty() ? "" : (query->empty() ? "?cursor=" : "&cursor=") + url_escape(cursor));
    auto response = call_api(*endpoint, boost::beast::http::verb::get, target);
    if (!response) {
      err << "voxgate sessions: " << response.error().message << "\n";
      return 1;
    }
    if (response->status != 200) {
      if (options.json && !response->body.empty()) out << response->body << "\n";
      err << "voxgate sessions: " << describe_api_error(*response) << "\n";
      return 1;
    }
    auto page = read_page(response->body);
    if (!page) {
      err << "voxgate sessions: " << page.error().message << "\n";
      return 1;
    }
    for (auto& session : page->sessions) sessions.push_back(std::move(session));
    more = !page->next_cursor.empty();
    if (!more || !options.all) break;
    if (page->next_cursor == cursor) {
      err << "voxgate sessions: the API's next_cursor " << cursor << " does not move\n";
      return 1;
    }
    cursor = std::move(page->next_cursor);
  }

  if (options.json) {
    out << boost::json::serialize(sessions) << "\n";
  } else {
    print_session_table(sessions, std::chrono::system_clock::now(), out);
    if (more) err << "(more sessions: --all lists every page)\n";
  }
  return 0;
}

}  // namespace voxgate::app
