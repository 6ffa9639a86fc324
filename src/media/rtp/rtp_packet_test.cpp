#include "media/rtp/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace voxgate::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A PCMU packet as a peer sends it: V=2, M=1, PT=0, seq 0x1234,
// timestamp 0x00010203, SSRC 0xdeadbeef, then `payload`.
Bytes pcmu_packet(Bytes payload) {
  Bytes packet{0x80, 0x80, 0x12, 0x34, 0x00, 0x01, 0x02, 0x03, 0xde, 0xad, 0xbe, 0xef};
  packet.insert(packet.end(), payload.begin(), payload.end());
  return packet;
}

TEST(RtpPacket, ParsesTheFixedHeaderAndPayload) {
  const Bytes bytes = pcmu_packet({0xff, 0x7f, 0x00});
  const auto packet = parse_rtp(bytes);
  ASSERT_TRUE(packet) << to_string(packet.error());
  EXPECT_TRUE(packet->header.marker);
  EXPECT_EQ(packet->header.payload_type, 0);
  EXPECT_EQ(packet->header.sequence, 0x1234);
  EXPECT_EQ(packet->header.timestamp, 0x00010203U);
  EXPECT_EQ(packet->header.ssrc, 0xdeadbeefU);
  EXPECT_EQ(packet->csrc_count, 0);
  EXPECT_FALSE(packet->has_extension);
  ASSERT_EQ(packet->payload.size(), 3U);
  EXPECT_EQ(packet->payload[0], 0xff);
  EXPECT_EQ(packet->payload.data(), bytes.data() + 12) << "a view into the datagram, not a copy";
}

TEST(RtpPacket, ReadsTheCsrcListAndSkipsAHeaderExtension) {
  Bytes bytes{0x92, 0x08, 0, 1, 0,    0,    0, 160, 0, 0, 0, 7,  // V=2 X=1 CC=2, PT=8
              0,    0,    0, 1, 0,    0,    0, 2,                // CSRC 1, 2
              0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0,                // RFC 8285 one-byte extension, 1 word
              0xd5, 0xd5};
  const auto packet = parse_rtp(bytes);
  ASSERT_TRUE(packet) << to_string(packet.error());
  EXPECT_EQ(packet->csrc_count, 2);
  EXPECT_EQ(packet->csrc[1], 2U);
  EXPECT_TRUE(packet->has_extension);
  EXPECT_EQ(packet->extension_profile, 0xbede);
  EXPECT_EQ(packet->extension.size(), 4U);
  ASSERT_EQ(packet->payload.size(), 2U);
  EXPECT_EQ(packet->payload[0], 0xd5);
}

TEST(RtpPacket, RemovesPaddingCountedByTheLastOctet) {
  Bytes bytes = pcmu_packet({1, 2, 3, 0, 0, 3});
  bytes[0] |= 0x20;  // P
  const auto packet = parse_rtp(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->padding, 3);
  EXPECT_EQ(packet->payload.size(), 3U);
}

TEST(RtpPacket, RefusesWhatCannotBeRtp) {
  EXPECT_EQ(parse_rtp(Bytes(11, 0x80)).error(), RtpParseError::TooShort);
  Bytes v1 = pcmu_packet({});
  v1[0] = 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), RtpParseError::BadVersion);
  Bytes csrc = pcmu_packet({0, 0, 0, 1});
  csrc[0] = 0x82;  // two CSRCs claimed, one present
  EXPECT_EQ(parse_rtp(csrc).error(), RtpParseError::CsrcOverrun);
  Bytes extension = pcmu_packet({0xbe, 0xde, 0, 2, 0, 0, 0, 0});
  extension[0] = 0x90;  // two words claimed, one present
  EXPECT_EQ(parse_rtp(extension).error(), RtpParseError::ExtensionOverrun);
  Bytes zero_padding = pcmu_packet({1, 0});
  zero_padding[0] |= 0x20;
  EXPECT_EQ(parse_rtp(zero_padding).error(), RtpParseError::BadPadding);
  Bytes long_padding = pcmu_packet({1, 9});
  long_padding[0] |= 0x20;
  EXPECT_EQ(parse_rtp(long_padding).error(), RtpParseError::BadPadding);
}

TEST(RtpPacket, AWrittenHeaderParsesBackToTheSameFields) {
  std::array<std::uint8_t, kRtpHeaderBytes + 2> out{};
  const RtpHeader header{
      .marker = true, .payload_type = 101, .sequence = 65535, .timestamp = 0xffffff00U, .ssrc = 0x01020304U};
  ASSERT_EQ(write_rtp_header(header, out), kRtpHeaderBytes);
  const auto packet = parse_rtp(out);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->header.marker);
  EXPECT_EQ(packet->header.payload_type, 101);
  EXPECT_EQ(packet->header.sequence, 65535);
  EXPECT_EQ(packet->header.timestamp, 0xffffff00U);
  EXPECT_EQ(packet->header.ssrc, 0x01020304U);
  EXPECT_EQ(packet->payload.size(), 2U);
}

TEST(RtpPacket, Rfc5761SplitsRtcpFromRtpByTheSecondByte) {
  EXPECT_TRUE(looks_like_rtcp(Bytes{0x80, 200}));    // SR
  EXPECT_TRUE(looks_like_rtcp(Bytes{0x81, 201}));    // RR
  EXPECT_FALSE(looks_like_rtcp(Bytes{0x80, 0x00}));  // PCMU
  EXPECT_FALSE(looks_like_rtcp(Bytes{0x80, 0xe5}));  // marker + PT 101 (telephone-event)
  EXPECT_FALSE(looks_like_rtcp(Bytes{0x80}));
}

}  // namespace
}  // namespace voxgate::media
