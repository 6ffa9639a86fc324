#include "sip/message/sip_date.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

using std::chrono::seconds;

SipDate at(std::int64_t unix_seconds) {
  return SipDate{seconds{unix_seconds}};
}

TEST(SipDate, ParsesRfc1123GmtDate) {
  // RFC 3261 §20.17 example.
  auto d = parse_sip_date("Sat, 13 Nov 2010 23:29:00 GMT");
  ASSERT_TRUE(d.has_value()) << d.error().reason;
  EXPECT_EQ(*d, at(1289690940));
}

TEST(SipDate, ParsesEpochLeapDayAndLastDayOf9999) {
  EXPECT_EQ(parse_sip_date("Thu, 01 Jan 1970 00:00:00 GMT"), at(0));
  EXPECT_EQ(parse_sip_date("Tue, 29 Feb 2000 12:00:00 GMT"), at(951825600));
  EXPECT_EQ(parse_sip_date("Fri, 31 Dec 9999 23:59:59 GMT"), at(253402300799));
}

TEST(SipDate, FormatsRfc1123GmtDate) {
  EXPECT_EQ(format_sip_date(at(1289690940)), "Sat, 13 Nov 2010 23:29:00 GMT");
  EXPECT_EQ(format_sip_date(at(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_sip_date(at(951825600)), "Tue, 29 Feb 2000 12:00:00 GMT");
}

TEST(SipDate, RoundTripsFormatOfParse) {
  for (std::string_view text :
       {"Sat, 13 Nov 2010 23:29:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Tue, 29 Feb 2000 12:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 09 Sep 2026 07:08:09 GMT", "Mon, 31 Dec 1962 01:02:03 GMT"}) {
    auto d = parse_sip_date(text);
    ASSERT_TRUE(d.has_value()) << text << " -> " << d.error().reason;
    EXPECT_EQ(format_sip_date(*d), text);
  }
}

TEST(SipDate, RoundTripsParseOfFormatOverManyInstants) {
  for (std::int64_t t = 0; t < 4'000'000'000; t += 86'399'987) {
    const std::string text = format_sip_date(at(t));
    auto d = parse_sip_date(text);
    ASSERT_TRUE(d.has_value()) << text << " -> " << d.error().reason;
    EXPECT_EQ(*d, at(t)) << text;
  }
}

TEST(SipDate, AcceptsSurroundingWhitespace) {
  EXPECT_EQ(parse_sip_date("  Sat, 13 Nov 2010 23:29:00 GMT\t"), at(1289690940));
}

TEST(SipDate, ToleratesAWrongWeekday) {
  auto d = parse_sip_date("Mon, 13 Nov 2010 23:29:00 GMT");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, at(1289690940));
  EXPECT_EQ(format_sip_date(*d), "Sat, 13 Nov 2010 23:29:00 GMT");
}

TEST(SipDate, RejectsZonesOtherThanGmt) {
  // RFC 4475 §3.1.2.12 (baddate).
  for (std::string_view text :
       {"Fri, 01 Jan 2010 16:00:00 EST", "Sat, 13 Nov 2010 23:29:00 UTC", "Sat, 13 Nov 2010 23:29:00 +0000",
        "Sat, 13 Nov 2010 23:29:00 Z", "Sat, 13 Nov 2010 23:29:00", "Sat, 13 Nov 2010 23:29:00 GMT+1",
        "Sat, 13 Nov 2010 23:29:00 GMTX"}) {
    auto d = parse_sip_date(text);
    ASSERT_FALSE(d.has_value()) << "accepted: " << text;
    EXPECT_FALSE(d.error().reason.empty());
  }
  EXPECT_NE(parse_sip_date("Fri, 01 Jan 2010 16:00:00 EST").error().reason.find("GMT"), std::string::npos);
}

TEST(SipDate, RejectsOtherDateFormsAndImpossibleDates) {
  for (std::string_view text : {"",
                                "Sat, 30 Feb 2010 10:00:00 GMT",
                                "Sat, 29 Feb 2001 10:00:00 GMT",
                                "Sat, 00 Nov 2010 10:00:00 GMT",
                                "Sat, 32 Nov 2010 10:00:00 GMT",
                                "Sat, 13 Foo 2010 10:00:00 GMT",
                                "Sat, 13 Nov 2010 24:00:00 GMT",
                                "Sat, 13 Nov 2010 23:60:00 GMT",
                                "Sat, 13 Nov 2010 23:29:61 GMT",
                                "13 Nov 2010 23:29:00 GMT",
                                "Sat 13 Nov 2010 23:29:00 GMT",
                                "Sat, 3 Nov 2010 23:29:00 GMT",
                                "Sat, 13 Nov 10 23:29:00 GMT",
                                "Sat, 13 nov 2010 23:29:00 GMT",
                                "Saturday, 13-Nov-10 23:29:00 GMT",
                                "Sat Nov 13 23:29:00 2010",
                                "Sat, 13 Nov 2010 23:29 GMT",
                                "Sat, 13 Nov 2010 2:29:00 GMT",
                                "Sat,  13 Nov 2010 23:29:00 GMT",
                                "Xyz, 13 Nov 2010 23:29:00 GMT"}) {
    EXPECT_FALSE(parse_sip_date(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
