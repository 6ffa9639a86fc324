#include "api/json_codec.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace voxgate::api {
namespace {

boost::json::object party_json(const session::Party& party) {
  boost::json::object object;
  object["uri"] = party.uri;
  object["display_name"] = party.display_name;
  return object;
}

// Exactly `length` decimal digits: from_chars alone would take a '-' too.
bool read_int(std::string_view text, std::size_t at, std::size_t length, int& value) {
  if (at + length > text.size()) return false;
  const auto digits = text.substr(at, length);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const auto* begin = text.data() + at;
  const auto [end, ec] = std::from_chars(begin, begin + length, value);
  return ec == std::errc() && end == begin + length;
}

// Whether `since_epoch` fits the wall clock with a second to spare for a
// fraction (libstdc++'s system_clock counts nanoseconds in 64 bits: years
// 1678 to 2261); beyond it, the conversion would overflow.
bool representable(std::chrono::seconds since_epoch) noexcept {
  using namespace std::chrono;
  constexpr auto kLimit = duration_cast<seconds>(Clock::WallTime::duration::max()) - seconds(1);
  return since_epoch <= kLimit && since_epoch >= -kLimit;
}

}  // namespace

std::string snake_case(std::string_view camel) {
  std::string out;
  out.reserve(camel.size() + 4);
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c == '-' ? '_' : c;
    }
  }
  return out;
}

std::string format_time(Clock::WallTime time) {
  using namespace std::chrono;
  // Rounded down, also before 1970 (a truncating division would print
  // 1969-12-31T23:59:59.5 as "1970-01-01T00:00:00.-500Z").
  const auto ms = floor<milliseconds>(time);
  const auto whole = floor<seconds>(ms);
  const auto seconds_since_epoch = static_cast<std::time_t>(whole.time_since_epoch().count());
  std::tm utc{};
  gmtime_r(&seconds_since_epoch, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, (ms - whole).count());
}

Result<Clock::WallTime> parse_time(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&] {
    return make_error(Errc::InvalidArgument, "'{}' is not an RFC 3339 time (2026-11-22T10:04:05Z) or epoch seconds",
                      text);
  };
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    long long epoch = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch);
    if (ec != std::errc() || end != text.data() + text.size() || !representable(seconds(epoch))) return bad();
    return Clock::WallTime(duration_cast<Clock::WallTime::duration>(seconds(epoch)));
  }
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':' || !read_int(text, 0, 4, year) || !read_int(text, 5, 2, month) || !read_int(text, 8, 2, day) ||
      !read_int(text, 11, 2, hour) || !read_int(text, 14, 2, minute) || !read_int(text, 17, 2, second)) {
    return bad();
  }
  std::size_t at = 19;
  nanoseconds fraction{0};
  if (at < text.size() && text[at] == '.') {
    ++at;
    long long scale = 100'000'000;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      fraction += nanoseconds((text[at] - '0') * scale);
      scale /= 10;
      ++at;
    }
    if (at == start) return bad();
  }
  minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int oh = 0;
    int om = 0;
    if (!read_int(text, at + 1, 2, oh) || !read_int(text, at + 4, 2, om) || oh > 23 || om > 59) return bad();
    offset = minutes(oh * 60 + om);
    if (text[at] == '-') offset = -offset;
  } else {
    return bad();
  }
  const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return bad();
  // Whole seconds first: years beyond the clock's range must not overflow.
  const auto whole = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) - offset;
  if (!representable(whole.time_since_epoch())) return bad();
  return Clock::WallTime(duration_cast<Clock::WallTime::duration>(whole.time_since_epoch()) +
                         duration_cast<Clock::WallTime::duration>(fraction));
}

boost::json::object to_json(const session::SessionRecord& record) {
  boost::json::object object;
  object["id"] = fmt::format("{}", record.id.value());
  object["call_id"] = record.call_id;
  object["direction"] = session::to_string(record.direction);
  object["state"] = snake_case(session::to_string(record.state));
  object["media_state"] = snake_case(session::to_string(record.media_state));
  object["local"] = party_json(record.local);
  object["remote"] = party_json(record.remote);
  // From and To as the caller and callee, whichever side we are.
  const bool inbound = record.direction == session::Direction::Inbound;
  object["from"] = inbound ? record.remote.uri : record.local.uri;
  object["to"] = inbound ? record.local.uri : record.remote.uri;
  object["local_tag"] = record.local_tag;
  object["remote_tag"] = record.remote_tag;
  object["created"] = format_time(record.created);
  object["answered"] = record.answered ? boost::json::value(format_time(*record.answered)) : nullptr;
  object["ended"] = record.ended ? boost::json::value(format_time(*record.ended)) : nullptr;
  if (record.last_cause) object["last_cause"] = snake_case(session::to_string(*record.last_cause));
  if (record.end_info) {
    boost::json::object end;
    end["by"] = session::to_string(record.end_info->by);
    end["sip_status"] = record.end_info->sip_status;
    end["reason"] = record.end_info->reason;
    end["cause"] = snake_case(session::to_string(record.end_info->cause));
    object["end"] = std::move(end);
  } else {
    object["end"] = nullptr;
  }
  if (record.media) {
    boost::json::object media;
    media["codec"] = record.media->codec;
    media["remote_rtp"] = record.media->remote_rtp;
    object["media"] = std::move(media);
  } else {
    object["media"] = nullptr;
  }
  boost::json::object metadata;
  for (const auto& [key, value] : record.metadata) metadata[key] = value;
  object["metadata"] = std::move(metadata);
  object["version"] = record.version;
  return object;
}

}  // namespace voxgate::api
