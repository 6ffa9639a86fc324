#include "sdp/serializer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/parser.hpp"
#include "sdp/test_helpers.hpp"

namespace voxgate::sdp {
namespace {

using test::parse_ok;

TEST(SdpSerializer, WritesCrlfLinesInRfcOrder) {
  SessionDescription sdp;
  sdp.origin = Origin{"alice", SessionId(42), 7, AddressType::IP4, "192.0.2.1"};
  sdp.session_name = "call";
  sdp.attributes.push_back(Attribute{"tool", "voxgate"});
  sdp.key = "prompt";
  sdp.time_zones = "0 0";
  sdp.timings.push_back(Timing{0, 0, {"1d 1h 0"}});
  sdp.bandwidths.push_back(Bandwidth{"CT", 64});
  sdp.connection = Connection{AddressType::IP4, "192.0.2.1", std::nullopt, std::nullopt};
  sdp.phones.emplace_back("+1 555");
  sdp.emails.emplace_back("a@example.com");
  sdp.uri = "http://example.com";
  sdp.information = "info";
  MediaDescription m;
  m.media = "audio";
  m.port = 4000;
  m.proto = "RTP/AVP";
  m.formats = {"0", "101"};
  m.attributes = {{"rtpmap", "101 telephone-event/8000"}, {"sendrecv", std::nullopt}};
  m.key = "clear:x";
  m.bandwidths.push_back(Bandwidth{"AS", 80});
  m.connections.push_back(Connection{AddressType::IP6, "2001:db8::1", std::nullopt, std::nullopt});
  m.title = "voice";
  sdp.media.push_back(m);
  EXPECT_EQ(serialize(sdp),
            "v=0\r\n"
            "o=alice 42 7 IN IP4 192.0.2.1\r\n"
            "s=call\r\n"
            "i=info\r\n"
            "u=http://example.com\r\n"
            "e=a@example.com\r\n"
            "p=+1 555\r\n"
            "c=IN IP4 192.0.2.1\r\n"
            "b=CT:64\r\n"
            "t=0 0\r\n"
            "r=1d 1h 0\r\n"
            "z=0 0\r\n"
            "k=prompt\r\n"
            "a=tool:voxgate\r\n"
            "m=audio 4000 RTP/AVP 0 101\r\n"
            "i=voice\r\n"
            "c=IN IP6 2001:db8::1\r\n"
            "b=AS:80\r\n"
            "k=clear:x\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=sendrecv\r\n");
}

TEST(SdpSerializer, WritesAnEmptySessionNameAsOneSpace) {
  SessionDescription sdp;
  sdp.origin.address = "h";
  EXPECT_NE(serialize(sdp).find("\r\ns= \r\n"), std::string::npos);
}

TEST(SdpSerializer, WritesTimeZeroZeroWhenThereIsNoTiming) {
  SessionDescription sdp;
  sdp.origin.address = "h";
  EXPECT_NE(serialize(sdp).find("\r\nt=0 0\r\n"), std::string::npos);
}

TEST(SdpSerializer, WritesMulticastSuffixesAndPortCounts) {
  const SessionDescription sdp = parse_ok(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 224.2.1.1/127/3\r\nt=0 0\r\nm=video 5000/2 RTP/AVP 31\r\n"
      "c=IN IP6 ff15::1/2\r\n");
  const std::string text = serialize(sdp);
  EXPECT_NE(text.find("c=IN IP4 224.2.1.1/127/3\r\n"), std::string::npos);
  EXPECT_NE(text.find("m=video 5000/2 RTP/AVP 31\r\n"), std::string::npos);
  EXPECT_NE(text.find("c=IN IP6 ff15::1/2\r\n"), std::string::npos);
}

TEST(SdpSerializer, KeepsUndefinedLinesBeforeTheAttributesOfTheirSection) {
  const SessionDescription sdp = parse_ok(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=s\r\nx=1\r\nm=video 1 RTP/AVP 96\r\na=m\r\ny=0100000001\r\n");
  EXPECT_EQ(serialize(sdp),
            "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nx=1\r\na=s\r\nm=video 1 RTP/AVP 96\r\ny=0100000001\r\n"
            "a=m\r\n");
}

TEST(SdpSerializer, KeepsAPresentEmptyAttributeValue) {
  const SessionDescription sdp = parse_ok("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=flag\r\na=empty:\r\n");
  const std::string text = serialize(sdp);
  EXPECT_NE(text.find("a=flag\r\na=empty:\r\n"), std::string::npos);
}

TEST(SdpSerializer, ReproducesCanonicalTextByteForByte) {
  const std::string text =
      "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\n"
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n"
      "a=sendrecv\r\n";
  EXPECT_EQ(serialize(parse_ok(text)), text);
}

TEST(SdpSerializer, NormalisesSloppyTextIntoTextThatParsesToTheSameDescription) {
  const std::string sloppy = "v=0\no=-  1 1 IN IP4 10.0.0.1 \ns=\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8\t\n";
  const SessionDescription first = parse_ok(sloppy);
  const std::string text = serialize(first);
  EXPECT_EQ(text, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns= \r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n");
  EXPECT_EQ(parse_ok(text), first);
}

}  // namespace
}  // namespace voxgate::sdp
