#include "sip/message/media_type.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

MediaType media_type_ok(std::string_view text) {
  auto parsed = parse_media_type(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : MediaType{};
}

TEST(MediaType, ParsesTypeAndSubtype) {
  const MediaType m = media_type_ok("application/sdp");
  EXPECT_EQ(m.type, "application");
  EXPECT_EQ(m.subtype, "sdp");
  EXPECT_TRUE(m.params.empty());
  EXPECT_TRUE(m.is("application", "sdp"));
}

TEST(MediaType, ParsesParametersIncludingQuotedValues) {
  const MediaType m = media_type_ok("multipart/mixed;boundary=\"unique boundary 1\" ; charset=UTF-8");
  EXPECT_EQ(m.type, "multipart");
  EXPECT_EQ(m.subtype, "mixed");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params.get("boundary"), "unique boundary 1");
  EXPECT_TRUE(m.params[0].quoted);
  EXPECT_EQ(m.params.get("CHARSET"), "UTF-8");
}

TEST(MediaType, AcceptsLwsAroundSlashAndSemicolons) {
  // RFC 4475 §3.1.1.1 (wsinv): "Content-Type: application/sdp" with LWS.
  const MediaType m = media_type_ok("  text \r\n / plain ;\tcharset = us-ascii  ");
  EXPECT_EQ(m.type, "text");
  EXPECT_EQ(m.subtype, "plain");
  EXPECT_EQ(m.params.get("charset"), "us-ascii");
}

TEST(MediaType, ComparesTypeAndSubtypeCaseInsensitively) {
  const MediaType m = media_type_ok("Application/SDP");
  EXPECT_TRUE(m.is("application", "sdp"));
  EXPECT_TRUE(m.matches("APPLICATION", "sdp"));
  EXPECT_FALSE(m.is("application", "pidf+xml"));
  EXPECT_FALSE(m.is("text", "sdp"));
}

TEST(MediaType, AcceptRangeWithStarsMatchesAnything) {
  const MediaType all = media_type_ok("*/*");
  EXPECT_EQ(all.type, "*");
  EXPECT_EQ(all.subtype, "*");
  EXPECT_TRUE(all.matches("application", "sdp"));
  EXPECT_TRUE(all.matches("text", "html"));
  EXPECT_FALSE(all.is("application", "sdp"));

  const MediaType app = media_type_ok("application/*;q=0.5");
  EXPECT_TRUE(app.matches("application", "sdp"));
  EXPECT_TRUE(app.matches("Application", "pidf+xml"));
  EXPECT_FALSE(app.matches("text", "plain"));
  EXPECT_EQ(app.params.get("q"), "0.5");
}

TEST(MediaType, ExactTypeDoesNotMatchOtherSubtypes) {
  const MediaType m = media_type_ok("application/sdp;level=1");
  EXPECT_TRUE(m.matches("application", "sdp"));
  EXPECT_FALSE(m.matches("application", "*"));
  EXPECT_FALSE(m.matches("application", "isup"));
}

TEST(MediaType, RejectsMalformedMediaTypes) {
  for (std::string_view text : {"", "application", "application/", "/sdp", "application/sdp/x", "application sdp",
                                "application/sdp;", "application/sdp;=x", "application/sdp;charset=",
                                "application/sdp;charset=\"utf-8", "application/sdp, text/plain", "app@x/sdp"}) {
    auto parsed = parse_media_type(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
    if (!parsed) {
      EXPECT_NE(parsed.error().reason.find("media type"), std::string::npos) << parsed.error().reason;
    }
  }
}

}  // namespace
}  // namespace voxgate::sip
