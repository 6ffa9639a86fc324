#include "sip/message/sip_date.hpp"

#include <array>

#include <fmt/format.h>

#include "base/ascii.hpp"
#include "sip/message/detail/scanner.hpp"

namespace voxgate::sip {

namespace {

constexpr std::array<std::string_view, 7> kWeekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Exactly `n` digits.
bool take_digits(std::string_view& s, std::size_t n, int& out) {
  if (s.size() < n) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!ascii::is_digit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(n);
  return true;
}

bool take_literal(std::string_view& s, std::string_view literal) {
  if (s.substr(0, literal.size()) != literal) return false;
  s.remove_prefix(literal.size());
  return true;
}

template <std::size_t N>
int take_name(std::string_view& s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (take_literal(s, names[i])) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

Parsed<SipDate> parse_sip_date(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string_view s = value;
  const int weekday = take_name(s, kWeekdays);
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (weekday < 0 || !take_literal(s, ", ") || !take_digits(s, 2, day) || !take_literal(s, " ")) {
    return syntax_error("bad Date: expected \"Wdy, DD Mon YYYY HH:MM:SS GMT\"");
  }
  const int month = take_name(s, kMonths);
  if (month < 0 || !take_literal(s, " ") || !take_digits(s, 4, year) || !take_literal(s, " ") ||
      !take_digits(s, 2, hour) || !take_literal(s, ":") || !take_digits(s, 2, minute) || !take_literal(s, ":") ||
      !take_digits(s, 2, second) || !take_literal(s, " ")) {
    return syntax_error("bad Date: expected \"Wdy, DD Mon YYYY HH:MM:SS GMT\"");
  }
  if (s != "GMT") return syntax_error("bad Date: time zone must be GMT");
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month + 1)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return syntax_error("bad Date: no such date or time");
  // A weekday that disagrees with the date is tolerated: the date is what
  // counts, and old peers get the weekday wrong.
  const std::chrono::sys_days days{ymd};
  return SipDate{days} + std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::string format_sip_date(SipDate date) {
  const auto days = std::chrono::floor<std::chrono::days>(date);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss time{date - days};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kWeekdays[std::chrono::weekday{days}.c_encoding()],
                     static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), time.hours().count(), time.minutes().count(),
                     time.seconds().count());
}

}  // namespace voxgate::sip
