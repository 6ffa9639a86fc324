#include "sdp/parser.hpp"
#include "sdp/test_helpers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sdp {
namespace {

// Lines joined with CRLF, each line ending with one.
std::string crlf(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view l : lines) {
    out += l;
    out += "\r\n";
  }
  return out;
}

// A small complete offer.
const std::string& minimal_offer() {
  static const std::string text = crlf({"v=0", "o=- 1 2 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                                        "m=audio 4000 RTP/AVP 0 8 101", "a=rtpmap:101 telephone-event/8000"});
  return text;
}

using test::parse_ok;

Error parse_error(std::string_view text, const ParseLimits& limits = {}) {
  auto parsed = parse_sdp(text, limits);
  EXPECT_FALSE(parsed.has_value()) << "accepted:\n" << text;
  return parsed ? Error{} : parsed.error();
}

TEST(SdpParser, ReadsEveryFieldOfAMinimalOffer) {
  const SessionDescription sdp = parse_ok(minimal_offer());
  EXPECT_EQ(sdp.origin.username, "-");
  EXPECT_EQ(sdp.origin.session_id, SessionId(1));
  EXPECT_EQ(sdp.origin.session_version, 2u);
  EXPECT_EQ(sdp.origin.address_type, AddressType::IP4);
  EXPECT_EQ(sdp.origin.address, "192.0.2.1");
  EXPECT_EQ(sdp.session_name, "-");
  ASSERT_TRUE(sdp.connection.has_value());
  EXPECT_EQ(sdp.connection->address, "192.0.2.1");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0].start, 0u);
  ASSERT_EQ(sdp.media.size(), 1u);
  const MediaDescription& m = sdp.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.kind(), MediaKind::Audio);
  EXPECT_EQ(m.port, 4000);
  EXPECT_FALSE(m.port_count.has_value());
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.transport(), TransportProtocol::RtpAvp);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "101"}));
  ASSERT_EQ(m.attributes.size(), 1u);
  EXPECT_EQ(m.attributes[0].name, "rtpmap");
  EXPECT_EQ(m.attributes[0].value, "101 telephone-event/8000");
}

TEST(SdpParser, ReadsOptionalSessionFieldsAndRepeatedLines) {
  const SessionDescription sdp = parse_ok(
      crlf({"v=0", "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5", "s=SDP Seminar", "i=A Seminar",
            "u=http://x.example/", "e=j.doe@example.com (Jane Doe)", "e=other@example.com", "p=+1 617 555-6011",
            "c=IN IP4 224.2.17.12/127", "b=CT:128", "t=2873397496 2873404696", "r=7d 1h 0 25h", "t=0 0",
            "z=2882844526 -1h 2898848070 0", "k=prompt", "a=recvonly", "a=tool:x:y"}));
  EXPECT_EQ(sdp.information, "A Seminar");
  EXPECT_EQ(sdp.uri, "http://x.example/");
  EXPECT_EQ(sdp.emails.size(), 2u);
  EXPECT_EQ(sdp.phones, (std::vector<std::string>{"+1 617 555-6011"}));
  ASSERT_TRUE(sdp.connection.has_value());
  EXPECT_EQ(sdp.connection->address, "224.2.17.12");
  EXPECT_EQ(sdp.connection->ttl, 127);
  EXPECT_EQ(sdp.bandwidths, (std::vector<Bandwidth>{{"CT", 128}}));
  ASSERT_EQ(sdp.timings.size(), 2u);
  EXPECT_EQ(sdp.timings[0].start, 2873397496u);
  EXPECT_EQ(sdp.timings[0].repeats, (std::vector<std::string>{"7d 1h 0 25h"}));
  EXPECT_TRUE(sdp.timings[1].repeats.empty());
  EXPECT_EQ(sdp.time_zones, "2882844526 -1h 2898848070 0");
  EXPECT_EQ(sdp.key, "prompt");
  ASSERT_EQ(sdp.attributes.size(), 2u);
  EXPECT_FALSE(sdp.attributes[0].value.has_value());
  EXPECT_EQ(sdp.attributes[1].value, "x:y");  // only the first ':' separates
  EXPECT_TRUE(sdp.media.empty());
}

TEST(SdpParser, ReadsMediaLevelLines) {
  const SessionDescription sdp =
      parse_ok(crlf({"v=0", "o=- 1 1 IN IP4 h.example", "s=x", "t=0 0", "m=video 5000/2 RTP/AVPF 96", "i=camera",
                     "c=IN IP4 192.0.2.7", "c=IN IP4 192.0.2.8", "b=AS:512", "b=TIAS:480000", "k=clear:abc",
                     "a=rtpmap:96 VP8/90000", "a=sendonly"}));
  ASSERT_EQ(sdp.media.size(), 1u);
  const MediaDescription& m = sdp.media[0];
  EXPECT_EQ(m.kind(), MediaKind::Video);
  EXPECT_EQ(m.port_count, 2);
  EXPECT_EQ(m.transport(), TransportProtocol::RtpAvpf);
  EXPECT_EQ(m.title, "camera");
  ASSERT_EQ(m.connections.size(), 2u);  // layered multicast style: several c= per media
  EXPECT_EQ(m.connections[1].address, "192.0.2.8");
  EXPECT_EQ(m.bandwidths.size(), 2u);
  EXPECT_EQ(m.key, "clear:abc");
  EXPECT_EQ(m.attributes.size(), 2u);
  EXPECT_FALSE(sdp.connection.has_value());
}

TEST(SdpParser, AcceptsLfOnlyLineEndsAndTrailingBlanks) {
  const SessionDescription sdp =
      parse_ok("v=0\no=- 1 1 IN IP4 10.0.0.1  \ns=Talk \t\nc=IN IP4 10.0.0.1 \nt=0 0\nm=audio 4000 RTP/AVP 8 \n");
  EXPECT_EQ(sdp.origin.address, "10.0.0.1");
  EXPECT_EQ(sdp.session_name, "Talk");
  ASSERT_EQ(sdp.media.size(), 1u);
  EXPECT_EQ(sdp.media[0].formats, (std::vector<std::string>{"8"}));
}

TEST(SdpParser, AcceptsMixedLineEndsAndNoFinalLineEnd) {
  const SessionDescription sdp = parse_ok("v=0\r\no=- 1 1 IN IP4 10.0.0.1\ns=x\r\nt=0 0\r\nm=audio 1 RTP/AVP 0");
  EXPECT_EQ(sdp.media.size(), 1u);
}

TEST(SdpParser, AcceptsAnEmptySessionNameAndTheSingleSpaceOne) {
  EXPECT_EQ(parse_ok("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=\r\nt=0 0\r\n").session_name, "");
  EXPECT_EQ(parse_ok("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns= \r\nt=0 0\r\n").session_name, "");
}

TEST(SdpParser, ReadsAMissingTimeLineAsTimeZeroZero) {
  const SessionDescription sdp = parse_ok("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0], Timing{});
}

TEST(SdpParser, SkipsBlankLines) {
  const SessionDescription sdp = parse_ok("v=0\r\n\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n\r\n\r\n");
  EXPECT_EQ(sdp.origin.session_id, SessionId(1));
}

TEST(SdpParser, AcceptsRunsOfBlanksBetweenFields) {
  const SessionDescription sdp = parse_ok(
      "v=0\r\no=-  1\t2 IN  IP4 10.0.0.1\r\ns=-\r\nc=IN  IP4   10.0.0.1\r\nt=0  0\r\nm=audio  4000 "
      " RTP/AVP  0   8\r\n");
  EXPECT_EQ(sdp.origin.session_version, 2u);
  EXPECT_EQ(sdp.media[0].formats.size(), 2u);
}

TEST(SdpParser, AcceptsOptionalSessionLinesInAnyOrder) {
  // c= after t= (seen from RFC 2543-era gear) and a= before b=.
  const SessionDescription sdp =
      parse_ok(crlf({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "a=x", "c=IN IP4 0.0.0.0", "b=AS:64"}));
  EXPECT_EQ(sdp.connection->address, "0.0.0.0");
  EXPECT_EQ(sdp.bandwidths.size(), 1u);
}

TEST(SdpParser, KeepsAttributeOrderAndUnknownAttributes) {
  const SessionDescription sdp =
      parse_ok(crlf({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 1 RTP/AVP 0", "a=x-custom:1 2 3",
                     "a=zzz", "a=rtpmap:0 PCMU/8000", "a=empty:", "a=x-custom:again"}));
  const Attributes& a = sdp.media[0].attributes;
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0], (Attribute{"x-custom", "1 2 3"}));
  EXPECT_EQ(a[1], (Attribute{"zzz", std::nullopt}));
  EXPECT_EQ(a[3], (Attribute{"empty", ""}));  // "a=name:" keeps its empty value
  EXPECT_EQ(a[4].value, "again");
}

TEST(SdpParser, KeepsLinesOfUndefinedTypes) {
  // GB28181 cameras send y= (SSRC) and f= (media format).
  const SessionDescription sdp =
      parse_ok(crlf({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=Play", "x=session", "t=0 0", "m=video 6000 RTP/AVP 96",
                     "a=rtpmap:96 PS/90000", "y=0100000001", "f=v/2/4///a///"}));
  EXPECT_EQ(sdp.other_lines, (std::vector<OtherLine>{{'x', "session"}}));
  EXPECT_EQ(sdp.media[0].other_lines, (std::vector<OtherLine>{{'y', "0100000001"}, {'f', "v/2/4///a///"}}));
}

TEST(SdpParser, ReadsIpv6AndMulticastConnections) {
  const SessionDescription sdp =
      parse_ok(crlf({"v=0", "o=- 1 1 IN IP6 2001:db8::1", "s=-", "c=IN IP6 FF15::101/3", "t=0 0", "m=audio 1 RTP/AVP 0",
                     "c=IN IP4 224.2.1.1/127/3", "m=audio 2 RTP/AVP 0", "c=IN IP6 ::ffff:192.0.2.1",
                     "m=audio 3 RTP/AVP 0", "c=IN IP4 media.example.com"}));
  EXPECT_EQ(sdp.origin.address_type, AddressType::IP6);
  EXPECT_EQ(sdp.connection->address_type, AddressType::IP6);
  EXPECT_EQ(sdp.connection->address, "FF15::101");
  EXPECT_FALSE(sdp.connection->ttl.has_value());  // IP6 has no TTL: the number counts addresses
  EXPECT_EQ(sdp.connection->address_count, 3u);
  EXPECT_EQ(sdp.media[0].connections[0].ttl, 127);
  EXPECT_EQ(sdp.media[0].connections[0].address_count, 3u);
  EXPECT_EQ(sdp.media[1].connections[0].address, "::ffff:192.0.2.1");
  EXPECT_EQ(sdp.media[2].connections[0].address, "media.example.com");
}

TEST(SdpParser, AcceptsAddressTypesInAnyCase) {
  const SessionDescription sdp = parse_ok("v=0\r\no=- 1 1 in ip4 10.0.0.1\r\ns=-\r\nc=IN ip6 ::1\r\nt=0 0\r\n");
  EXPECT_EQ(sdp.origin.address_type, AddressType::IP4);
  EXPECT_EQ(sdp.connection->address_type, AddressType::IP6);
}

TEST(SdpParser, KeepsNonRtpFormatsAsTokens) {
  const SessionDescription sdp = parse_ok(
      crlf({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "m=image 5000 udptl t38", "m=audio 0 RTP/AVP"}));
  EXPECT_FALSE(sdp.media[0].is_rtp());
  EXPECT_EQ(sdp.media[0].formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_EQ(sdp.media[1].kind(), MediaKind::Image);
  EXPECT_TRUE(sdp.media[2].formats.empty());  // tolerated on a disabled stream
}

// --- Rejections: each names the line and what is wrong with it.

TEST(SdpParser, RejectsTextThatDoesNotStartWithVersion) {
  const Error e = parse_error("o=- 1 1 IN IP4 10.0.0.1\r\nv=0\r\ns=-\r\n");
  EXPECT_EQ(e.code, Errc::InvalidArgument);
  EXPECT_EQ(e.message, "SDP line 1 (o=): the description must start with v=0 (RFC 4566 §5)");
}

TEST(SdpParser, RejectsOtherVersions) {
  EXPECT_EQ(parse_error("v=1\r\n").message, "SDP line 1 (v=): unsupported version \"1\" (only v=0 exists)");
}

TEST(SdpParser, RejectsEmptyInput) {
  EXPECT_EQ(parse_error("").message, "SDP is empty (no v= line)");
  EXPECT_EQ(parse_error("\r\n\n").message, "SDP is empty (no v= line)");
}

TEST(SdpParser, RejectsAMissingOriginOrSessionName) {
  EXPECT_EQ(parse_error("v=0\r\ns=-\r\nt=0 0\r\n").message, "SDP has no o= line (RFC 4566 §5.2)");
  EXPECT_EQ(parse_error("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nt=0 0\r\n").message, "SDP has no s= line (RFC 4566 §5.3)");
}

TEST(SdpParser, RejectsLinesThatAreNotTypeEqualsValue) {
  EXPECT_EQ(parse_error("v=0\r\nhello\r\n").message, "SDP line 2: expected <type>=<value>, got \"hello\"");
  EXPECT_EQ(parse_error("v=0\r\na =x\r\n").code, Errc::InvalidArgument);
  EXPECT_EQ(parse_error("v=0\r\nA=x\r\n").message,
            "SDP line 2: invalid type \"A\" (RFC 4566 §5: one lower-case letter)");
}

TEST(SdpParser, RejectsControlCharactersInValues) {
  const Error e = parse_error(std::string("v=0\r\ns=a\0b\r\n", 12));
  EXPECT_EQ(e.message, "SDP line 2 (s=): control character in value \"a\\x00b\"");
  EXPECT_EQ(parse_error("v=0\r\ns=a\rb\r\n").code, Errc::InvalidArgument);  // a lone CR inside a line
}

TEST(SdpParser, RejectsDuplicatesOfSingleLines) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n";
  EXPECT_EQ(parse_error(head + "v=0\r\n").message, "SDP line 4 (v=): duplicate v= line");
  EXPECT_EQ(parse_error(head + "o=- 1 1 IN IP4 10.0.0.1\r\n").message, "SDP line 4 (o=): duplicate o= line");
  EXPECT_EQ(parse_error(head + "s=-\r\n").message, "SDP line 4 (s=): duplicate s= line");
  EXPECT_EQ(parse_error(head + "c=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\n").message,
            "SDP line 5 (c=): duplicate c= line");
  EXPECT_EQ(parse_error(head + "i=a\r\ni=b\r\n").message, "SDP line 5 (i=): duplicate i= line");
  EXPECT_EQ(parse_error(head + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\ni=a\r\ni=b\r\n").message,
            "SDP line 7 (i=): duplicate i= line");
}

TEST(SdpParser, RejectsSessionOnlyLinesInAMediaDescription) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n";
  for (std::string_view line : {"o=- 1 1 IN IP4 10.0.0.1", "s=x", "u=x", "e=x", "p=x", "t=0 0", "r=1 1 1", "z=0 0"}) {
    const Error e = parse_error(head + std::string(line) + "\r\n");
    EXPECT_EQ(e.message, fmt::format("SDP line 6 ({}=): {}= is not allowed in a media description (RFC 4566 §5)",
                                     line[0], line[0]));
  }
}

TEST(SdpParser, RejectsRepeatTimesWithoutATimeLine) {
  EXPECT_EQ(parse_error("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nr=7d 1h 0\r\n").message,
            "SDP line 4 (r=): r= must follow a t= line (RFC 4566 §5.10)");
}

TEST(SdpParser, RejectsMalformedOrigins) {
  auto origin = [](std::string_view o) { return parse_error("v=0\r\no=" + std::string(o) + "\r\ns=-\r\n"); };
  EXPECT_EQ(origin("- 1 1 IN IP4").message,
            "SDP line 2 (o=): expected \"<username> <sess-id> <sess-version> IN <addrtype> <address>\", got "
            "\"- 1 1 IN IP4\"");
  EXPECT_EQ(origin("- x 1 IN IP4 h").message, "SDP line 2 (o=): invalid sess-id \"x\"");
  EXPECT_EQ(origin("- 1 -1 IN IP4 h").message, "SDP line 2 (o=): invalid sess-version \"-1\"");
  EXPECT_EQ(origin("- 18446744073709551616 1 IN IP4 h").message,
            "SDP line 2 (o=): invalid sess-id \"18446744073709551616\"");
  EXPECT_EQ(origin("- 1 1 ATM NSAP h").code, Errc::Unsupported);
  EXPECT_EQ(origin("- 1 1 IN IPX h").message, "SDP line 2 (o=): unsupported address type \"IPX\"");
}

TEST(SdpParser, AcceptsTheLargestSessionIds) {
  const SessionDescription sdp =
      parse_ok("v=0\r\no=- 18446744073709551615 18446744073709551615 IN IP4 h\r\ns=-\r\nt=0 0\r\n");
  EXPECT_EQ(sdp.origin.session_id.value(), 18446744073709551615ULL);
}

TEST(SdpParser, RejectsMalformedConnections) {
  auto connection = [](std::string_view c) {
    return parse_error("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=" + std::string(c) + "\r\n");
  };
  EXPECT_EQ(connection("IN IP4").message, "SDP line 4 (c=): expected \"IN <addrtype> <address>\", got \"IN IP4\"");
  EXPECT_EQ(connection("IN IP4 256.1.1.1").message, "SDP line 4 (c=): invalid IP4 address \"256.1.1.1\"");
  EXPECT_EQ(connection("IN IP4 ::1").message, "SDP line 4 (c=): invalid IP4 address \"::1\"");
  EXPECT_EQ(connection("IN IP6 1.2.3.4").message, "SDP line 4 (c=): invalid IP6 address \"1.2.3.4\"");
  EXPECT_EQ(connection("IN IP6 1:::2").code, Errc::InvalidArgument);
  EXPECT_EQ(connection("IN IP4 224.2.1.1/256").message, "SDP line 4 (c=): invalid multicast TTL \"256\"");
  EXPECT_EQ(connection("IN IP4 224.2.1.1/1/0").message, "SDP line 4 (c=): invalid number of addresses \"0\"");
  EXPECT_EQ(connection("IN IP6 ff15::1/1/2").message, "SDP line 4 (c=): IP6 address takes no TTL: \"ff15::1/1/2\"");
  EXPECT_EQ(connection("IN IP4 bad_host").code, Errc::InvalidArgument);
  EXPECT_EQ(connection("IN IP5 1.2.3.4").code, Errc::Unsupported);
}

TEST(SdpParser, RejectsMalformedMediaLines) {
  auto media = [](std::string_view m) {
    return parse_error("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=" + std::string(m) + "\r\n");
  };
  EXPECT_EQ(media("audio 4000").message,
            "SDP line 5 (m=): expected \"<media> <port> <proto> <fmt> ...\", got \"audio 4000\"");
  EXPECT_EQ(media("audio 65536 RTP/AVP 0").message, "SDP line 5 (m=): invalid port \"65536\"");
  EXPECT_EQ(media("audio x RTP/AVP 0").message, "SDP line 5 (m=): invalid port \"x\"");
  EXPECT_EQ(media("audio 4000/0 RTP/AVP 0").message, "SDP line 5 (m=): invalid number of ports \"4000/0\"");
  EXPECT_EQ(media("audio 4000 RTP//AVP 0").message, "SDP line 5 (m=): invalid transport protocol \"RTP//AVP\"");
  EXPECT_EQ(media("audio 4000 RTP/AVP 128").message, "SDP line 5 (m=): invalid format \"128\"");
  EXPECT_EQ(media("audio 4000 RTP/AVP PCMU").message, "SDP line 5 (m=): invalid format \"PCMU\"");
  EXPECT_EQ(media("au:dio 4000 RTP/AVP 0").message, "SDP line 5 (m=): invalid media type \"au:dio\"");
}

TEST(SdpParser, RejectsMalformedTimesBandwidthsAndAttributes) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\n";
  EXPECT_EQ(parse_error(head + "t=0\r\n").message, "SDP line 4 (t=): expected \"<start> <stop>\", got \"0\"");
  EXPECT_EQ(parse_error(head + "t=0 x\r\n").message, "SDP line 4 (t=): invalid time \"0 x\"");
  EXPECT_EQ(parse_error(head + "b=AS\r\n").message, "SDP line 4 (b=): expected \"<bwtype>:<bandwidth>\", got \"AS\"");
  EXPECT_EQ(parse_error(head + "b=AS:-5\r\n").message, "SDP line 4 (b=): invalid bandwidth \"-5\"");
  EXPECT_EQ(parse_error(head + "b=A S:5\r\n").message, "SDP line 4 (b=): invalid bandwidth type \"A S\"");
  EXPECT_EQ(parse_error(head + "a=\r\n").message, "SDP line 4 (a=): invalid attribute name \"\"");
  EXPECT_EQ(parse_error(head + "a=:x\r\n").message, "SDP line 4 (a=): invalid attribute name \"\"");
  EXPECT_EQ(parse_error(head + "a=bad name\r\n").message, "SDP line 4 (a=): invalid attribute name \"bad name\"");
}

TEST(SdpParser, QuotesOnlyTheStartOfLongValuesInErrors) {
  const Error e =
      parse_error("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio " + std::string(100, '9') + " RTP/AVP 0\r\n");
  EXPECT_EQ(e.message, "SDP line 5 (m=): invalid port \"" + std::string(40, '9') + "...\"");
}

// --- Limits

TEST(SdpParser, EnforcesTheSizeLimit) {
  ParseLimits limits;
  limits.max_size = minimal_offer().size() - 1;
  const Error e = parse_error(minimal_offer(), limits);
  EXPECT_EQ(e.code, Errc::LimitExceeded);
  EXPECT_EQ(e.message, fmt::format("SDP of {} bytes exceeds the limit of {}", minimal_offer().size(), limits.max_size));
  limits.max_size = minimal_offer().size();
  EXPECT_TRUE(parse_sdp(minimal_offer(), limits).has_value());
}

TEST(SdpParser, EnforcesTheLineLengthLimit) {
  ParseLimits limits;
  limits.max_line_length = 20;
  const Error e = parse_error(minimal_offer(), limits);
  EXPECT_EQ(e.code, Errc::LimitExceeded);
  EXPECT_EQ(e.message, "SDP line 2 is longer than 20 bytes");
}

TEST(SdpParser, EnforcesTheLineCountLimitCountingBlankLines) {
  ParseLimits limits;
  limits.max_lines = 7;
  EXPECT_TRUE(parse_sdp(minimal_offer(), limits).has_value());
  EXPECT_EQ(parse_error("\r\n" + minimal_offer(), limits).message, "SDP has more than 7 lines");
}

TEST(SdpParser, EnforcesTheMediaAndFormatLimits) {
  ParseLimits limits;
  limits.max_media = 2;
  std::string text = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n";
  for (int i = 0; i < 3; ++i) text += "m=audio 0 RTP/AVP 0\r\n";
  const Error e = parse_error(text, limits);
  EXPECT_EQ(e.code, Errc::LimitExceeded);
  EXPECT_EQ(e.message, "SDP line 7 (m=): more than 2 media descriptions");

  limits = ParseLimits{};
  limits.max_formats = 3;
  EXPECT_TRUE(parse_sdp("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 1 RTP/AVP 0 8 9\r\n", limits).has_value());
  EXPECT_EQ(parse_error("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 1 RTP/AVP 0 8 9 3\r\n", limits).message,
            "SDP line 4 (m=): more than 3 formats");
}

TEST(SdpParser, DefaultLimitsRejectAFloodOfLines) {
  std::string text = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\n";
  while (text.size() < 60000) text += "a=x\r\n";
  EXPECT_EQ(parse_error(text).code, Errc::LimitExceeded);
}

}  // namespace
}  // namespace voxgate::sdp
