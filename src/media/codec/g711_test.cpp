#include "media/codec/g711.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include <spandsp.h>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

// Signal-to-noise ratio in dB of `decoded` against `original`.
double snr_db(const std::vector<std::int16_t>& original, const std::vector<std::int16_t>& decoded) {
  double signal = 0;
  double noise = 0;
  for (std::size_t i = 0; i < original.size(); ++i) {
    signal += static_cast<double>(original[i]) * original[i];
    const double e = static_cast<double>(original[i]) - decoded[i];
    noise += e * e;
  }
  return 10 * std::log10(signal / noise);
}

std::vector<std::int16_t> round_trip(G711Codec& codec, const std::vector<std::int16_t>& pcm) {
  std::vector<std::uint8_t> payload(codec.max_payload_bytes(pcm.size()));
  EXPECT_EQ(codec.encode(pcm, payload), pcm.size());
  std::vector<std::int16_t> decoded(codec.max_samples(payload.size()));
  EXPECT_EQ(codec.decode(payload, decoded), pcm.size());
  return decoded;
}

TEST(G711, EveryLinearSampleEncodesToSpandspsCodeAndEveryCodeDecodesToSpandspsSample) {
  G711Codec mu(G711Law::Mu);
  G711Codec a(G711Law::A);
  std::vector<std::int16_t> every(65536);
  for (std::size_t i = 0; i < every.size(); ++i) every[i] = static_cast<std::int16_t>(static_cast<int>(i) - 32768);
  std::vector<std::uint8_t> codes(every.size());
  ASSERT_EQ(mu.encode(every, codes), every.size());
  for (std::size_t i = 0; i < every.size(); ++i) ASSERT_EQ(codes[i], linear_to_ulaw(every[i])) << every[i];
  ASSERT_EQ(a.encode(every, codes), every.size());
  for (std::size_t i = 0; i < every.size(); ++i) ASSERT_EQ(codes[i], linear_to_alaw(every[i])) << every[i];

  std::vector<std::uint8_t> all_codes(256);
  for (std::size_t i = 0; i < all_codes.size(); ++i) all_codes[i] = static_cast<std::uint8_t>(i);
  std::vector<std::int16_t> samples(256);
  ASSERT_EQ(mu.decode(all_codes, samples), 256U);
  for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(samples[i], ulaw_to_linear(all_codes[i])) << i;
  ASSERT_EQ(a.decode(all_codes, samples), 256U);
  for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(samples[i], alaw_to_linear(all_codes[i])) << i;
}

TEST(G711, SilenceHasTheCanonicalCodeOfEachLaw) {
  G711Codec mu(G711Law::Mu);
  G711Codec a(G711Law::A);
  const std::array<std::int16_t, 1> zero{0};
  std::array<std::uint8_t, 1> out{};
  mu.encode(zero, out);
  EXPECT_EQ(out[0], 0xFF);  // µ-law zero (G.711 Table 2a, bits inverted)
  a.encode(zero, out);
  EXPECT_EQ(out[0], 0xD5);  // A-law zero (even bits inverted)
}

TEST(G711, AToneSurvivesTheRoundTripWithinG711Quality) {
  // G.711's SNR is about 38 dB over most of its range; a -6 dBFS tone keeps well above 30.
  for (const G711Law law : {G711Law::Mu, G711Law::A}) {
    G711Codec codec(law);
    const auto pcm = test::sine(1000, 160, 8000, 16000);
    EXPECT_GT(snr_db(pcm, round_trip(codec, pcm)), 30.0) << (law == G711Law::Mu ? "PCMU" : "PCMA");
  }
}

TEST(G711, EveryCodeDecodesAndReencodesToItself) {
  for (const G711Law law : {G711Law::Mu, G711Law::A}) {
    G711Codec codec(law);
    for (int code = 0; code < 256; ++code) {
      const std::array<std::uint8_t, 1> in{static_cast<std::uint8_t>(code)};
      std::array<std::int16_t, 1> pcm{};
      codec.decode(in, pcm);
      std::array<std::uint8_t, 1> again{};
      codec.encode(pcm, again);
      // µ-law has two zeros (0x7F and 0xFF): both decode to 0, which encodes as 0xFF.
      if (law == G711Law::Mu && code == 0x7F) {
        EXPECT_EQ(again[0], 0xFF);
      } else {
        EXPECT_EQ(again[0], code) << "law " << static_cast<int>(law) << " code " << code;
      }
    }
  }
}

TEST(G711, OneBytePerSampleAtEightKilohertz) {
  G711Codec codec(G711Law::A);
  EXPECT_EQ(codec.sample_rate(), 8000);
  EXPECT_EQ(codec.max_payload_bytes(160), 160U);
  EXPECT_EQ(codec.max_samples(160), 160U);
}

}  // namespace
}  // namespace voxgate::media
