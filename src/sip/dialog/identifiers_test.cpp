#include "sip/dialog/identifiers.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {
namespace {

// Returns the values it was given, in order.
RandomBits scripted(std::vector<std::uint64_t> values) {
  return [values = std::move(values), next = std::size_t{0}]() mutable { return values.at(next++); };
}

TEST(Identifiers, ATagIsTheRandomValueAsSixteenHexDigits) {
  const RandomBits random = scripted({0x00c0ffee12345678ULL});
  EXPECT_EQ(make_tag(random), "00c0ffee12345678");
}

TEST(Identifiers, ACallIdIsTwoRandomValuesAndTheHost) {
  const RandomBits random = scripted({1, 0xffffffffffffffffULL, 2, 3});
  EXPECT_EQ(make_call_id(random, "192.0.2.1"), "0000000000000001ffffffffffffffff@192.0.2.1");
  EXPECT_EQ(make_call_id(random), "00000000000000020000000000000003");
}

TEST(Identifiers, TagsAndCallIdsAreValidSipTokens) {
  const RandomBits random = system_random_bits();
  EXPECT_TRUE(parse_token(make_tag(random), "tag"));
  EXPECT_TRUE(parse_call_id(make_call_id(random, "[2001:db8::1]")));
}

TEST(Identifiers, TheSystemSourceGivesDistinctTags) {
  const RandomBits random = system_random_bits();
  std::set<std::string> tags;
  for (int i = 0; i < 1000; ++i) tags.insert(make_tag(random));
  EXPECT_EQ(tags.size(), 1000U);
}

}  // namespace
}  // namespace voxgate::sip
