#include "media/codec/codec_factory.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/codec/packet_loss_concealer.hpp"
#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

TEST(CodecFactory, NamesSdpCodecsByEncodingNameAndClockRateIgnoringCase) {
  EXPECT_EQ(codec_from_rtp_name("PCMU", 8000), CodecId::Pcmu);
  EXPECT_EQ(codec_from_rtp_name("pcma", 8000), CodecId::Pcma);
  EXPECT_EQ(codec_from_rtp_name("G722", 8000), CodecId::G722);  // RFC 3551 §4.5.2: 8000 although 16 kHz audio
  EXPECT_EQ(codec_from_rtp_name("OPUS", 48000), CodecId::Opus);
  EXPECT_EQ(codec_from_rtp_name("G722", 16000), std::nullopt);
  EXPECT_EQ(codec_from_rtp_name("opus", 16000), std::nullopt);  // RFC 7587 §7: always 48000
  EXPECT_EQ(codec_from_rtp_name("G729", 8000), std::nullopt);
}

TEST(CodecFactory, ReportsTheRtpClockOfEachCodec) {
  EXPECT_EQ(rtp_clock_rate(CodecId::Pcmu), 8000);
  EXPECT_EQ(rtp_clock_rate(CodecId::G722), 8000);
  EXPECT_EQ(rtp_clock_rate(CodecId::Opus), 48000);
}

// One second of 440 Hz through the pair in 20-ms frames; the decoded audio
// after the first 200 ms (codec start-up).
std::vector<std::int16_t> round_trip(AudioCodecPair& pair) {
  const int rate = pair.encoder->sample_rate();
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  const auto pcm = test::sine(440, frame * 50, rate, 10000);
  std::vector<std::uint8_t> payload(pair.encoder->max_payload_bytes(frame));
  std::vector<std::int16_t> out(pair.decoder->max_samples(payload.size()));
  std::vector<std::int16_t> decoded;
  for (std::size_t at = 0; at < pcm.size(); at += frame) {
    const std::size_t bytes = pair.encoder->encode(std::span(pcm).subspan(at, frame), payload);
    const std::size_t samples = pair.decoder->decode(std::span(payload).first(bytes), out);
    decoded.insert(decoded.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(samples));
  }
  return {decoded.begin() + static_cast<std::ptrdiff_t>(decoded.size() / 5), decoded.end()};
}

TEST(CodecFactory, EveryCodecCarriesATone) {
  for (const CodecId id : {CodecId::Pcmu, CodecId::Pcma, CodecId::G722, CodecId::Opus}) {
    auto pair = make_audio_codec(id, 8000);
    ASSERT_TRUE(pair) << to_string(id);
    const auto decoded = round_trip(*pair);
    EXPECT_GE(test::tone_dominance(decoded, 440, {300, 600, 1000, 1500}, pair->decoder->sample_rate()), 5.0)
        << to_string(id);
  }
}

TEST(CodecFactory, OpusRunsAtTheApplicationsRateWhenItCanAndAt48kOtherwise) {
  auto wideband = make_audio_codec(CodecId::Opus, 16000);
  ASSERT_TRUE(wideband);
  EXPECT_EQ(wideband->encoder->sample_rate(), 16000);
  EXPECT_EQ(wideband->decoder->sample_rate(), 16000);
  auto odd = make_audio_codec(CodecId::Opus, 44100);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->decoder->sample_rate(), 48000);
}

TEST(CodecFactory, OnlyOpusConcealsOnItsOwn) {
  std::vector<std::int16_t> frame(960);
  auto g711 = make_audio_codec(CodecId::Pcmu, 8000);
  auto opus = make_audio_codec(CodecId::Opus, 48000);
  ASSERT_TRUE(g711 && opus);
  EXPECT_EQ(g711->decoder->conceal(std::span(frame).first(160)), 0U);
  EXPECT_EQ(opus->decoder->conceal(frame), 960U);
}

TEST(PacketLossConcealer, ContinuesTheToneForALostFrameThenFadesToSilence) {
  PacketLossConcealer plc;
  auto tone = test::sine(440, std::size_t{160} * 20, 8000, 10000);
  for (std::size_t at = 0; at < tone.size(); at += 160) plc.on_good_frame(std::span(tone).subspan(at, 160));
  std::vector<std::int16_t> lost(160);
  plc.conceal(lost);
  EXPECT_GE(test::tone_dominance(lost, 440, {300, 600, 1000, 1500}, 8000), 5.0);
  for (int i = 0; i < 10; ++i) plc.conceal(lost);  // 200 ms more: spandsp fades out within ~50 ms
  EXPECT_LT(test::goertzel_power(lost, 440, 8000), 1e-3 * test::goertzel_power(std::span(tone).first(160), 440, 8000));
}

}  // namespace
}  // namespace voxgate::media
