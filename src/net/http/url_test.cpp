#include "net/http/url.hpp"

#include <gtest/gtest.h>

namespace voxgate::net {
namespace {

HttpUrl parse_ok(std::string_view text) {
  auto url = parse_http_url(text);
  EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error().message);
  return url.value_or(HttpUrl{});
}

Errc parse_error(std::string_view text) {
  auto url = parse_http_url(text);
  EXPECT_FALSE(url.has_value()) << text << " parsed as " << (url ? url->to_string() : "");
  return url ? Errc::Internal : url.error().code;
}

TEST(HttpUrl, HostnameWithoutPortOrPathDefaultsToPort80AndSlash) {
  EXPECT_EQ(parse_ok("http://example.com"), (HttpUrl{"example.com", 80, "/"}));
}

TEST(HttpUrl, PortPathAndQueryAreKeptAndTheFragmentIsDropped) {
  EXPECT_EQ(parse_ok("http://127.0.0.1:8080/hooks/a?x=1&y=%20#frag"),
            (HttpUrl{"127.0.0.1", 8080, "/hooks/a?x=1&y=%20"}));
}

TEST(HttpUrl, QueryWithoutPathGetsASlash) {
  EXPECT_EQ(parse_ok("http://host?x=1").target, "/?x=1");
}

TEST(HttpUrl, BracketedIpv6AddressIsUnbracketedAndCanonical) {
  const auto url = parse_ok("http://[0:0::1]:9000/a");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 9000);
  EXPECT_TRUE(url.host_is_ipv6());
  EXPECT_EQ(url.authority(), "[::1]:9000");
  EXPECT_EQ(url.to_string(), "http://[::1]:9000/a");
}

TEST(HttpUrl, SchemeAndHostAreCaseInsensitive) {
  const auto url = parse_ok("HTTP://Example.COM/Path");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.target, "/Path");
}

TEST(HttpUrl, EmptyPortMeansTheDefault) {
  EXPECT_EQ(parse_ok("http://host:/x").port, 80);
}

TEST(HttpUrl, AuthorityOmitsTheDefaultPort) {
  EXPECT_EQ(parse_ok("http://host:80/").authority(), "host");
  EXPECT_EQ(parse_ok("http://host:81/").authority(), "host:81");
}

TEST(HttpUrl, HttpsIsRecognisedButUnsupported) {
  EXPECT_EQ(parse_error("https://example.com/"), Errc::Unsupported);
  EXPECT_EQ(parse_error("HTTPS://example.com/"), Errc::Unsupported);
}

TEST(HttpUrl, Ipv6ZoneIdentifierIsUnsupported) {
  EXPECT_EQ(parse_error("http://[fe80::1%25eth0]/"), Errc::Unsupported);
}

TEST(HttpUrl, MalformedUrlsAreInvalidArguments) {
  for (const char* text : {
           "",
           "example.com/path",                // not absolute
           "ftp://example.com/",              // other scheme
           "http://",                         // no host
           "http://:80/",                     // no host
           "http:///path",                    // no host
           "http://user:pw@host/",            // userinfo, RFC 9110 §4.2.4
           "http://host:0/",                  // port 0
           "http://host:65536/",              // port too large
           "http://host:99999999999/",        // overflows
           "http://host:8o/",                 // not a number
           "http://[::1/",                    // unclosed bracket
           "http://[::1]x/",                  // text after the address
           "http://[not-v6]/",                // not an address
           "http://256.1.1.1/",               // not an IPv4 address
           "http://1.2.3/",                   // not an IPv4 address
           "http://ho st/",                   // space
           "http://host/a b",                 // space in the path
           "http://host/a\r\nX-Injected: 1",  // header injection
           "http://h\xc3\xa9st/",             // non-ASCII
           "http://ho%74/",                   // percent-encoded host
       }) {
    EXPECT_EQ(parse_error(text), Errc::InvalidArgument) << text;
  }
}

TEST(HttpUrl, ErrorMessagesNameTheUrl) {
  const auto url = parse_http_url("http://host:0/hook");
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("http://host:0/hook"), std::string::npos) << url.error().message;
}

}  // namespace
}  // namespace voxgate::net
