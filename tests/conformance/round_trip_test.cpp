// Round trips of every message file the message layer accepts: the pristine
// serialization is the received bytes (minus extra datagram octets), and both
// it and a re-composed serialization (forced by an edit) parse back to the same
// start line, the same header fields in the same order, byte for byte, and the
// same body. A corpus check keeps every file of both suites classified.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "conformance/classify.hpp"
#include "sip/message/message.hpp"
#include "sip/message/parser.hpp"
#include "support/test_data.hpp"

namespace voxgate::conformance {
namespace {

using sip::Message;

struct Case {
  std::string_view suite;
  std::string_view name;
};

// Every file the message layer accepts (the RFCs' valid messages, plus the
// invalid or application-level ones whose rejection belongs above it).
constexpr Case kAccepted[] = {
    {"rfc4475", "wsinv"},
    {"rfc4475", "intmeth"},
    {"rfc4475", "esc01"},
    {"rfc4475", "escnull"},
    {"rfc4475", "esc02"},
    {"rfc4475", "lwsdisp"},
    {"rfc4475", "longreq"},
    {"rfc4475", "dblreq"},
    {"rfc4475", "semiuri"},
    {"rfc4475", "transports"},
    {"rfc4475", "mpart01"},
    {"rfc4475", "unreason"},
    {"rfc4475", "noreason"},
    {"rfc4475", "baddate"},
    {"rfc4475", "badbranch"},
    {"rfc4475", "unkscm"},
    {"rfc4475", "novelsc"},
    {"rfc4475", "unksm2"},
    {"rfc4475", "bext01"},
    {"rfc4475", "invut"},
    {"rfc4475", "regaut01"},
    {"rfc4475", "bcast"},
    {"rfc4475", "zeromf"},
    {"rfc4475", "cparam01"},
    {"rfc4475", "cparam02"},
    {"rfc4475", "regescrt"},
    {"rfc4475", "sdp01"},
    {"rfc4475", "inv2543"},
    {"rfc5118", "ipv6-good"},
    {"rfc5118", "port-ambiguous"},
    {"rfc5118", "port-unambiguous"},
    {"rfc5118", "via-received-param-with-delim"},
    {"rfc5118", "via-received-param-no-delim"},
    {"rfc5118", "ipv6-in-sdp"},
    {"rfc5118", "mult-ip-in-header"},
    {"rfc5118", "mult-ip-in-sdp"},
    {"rfc5118", "ipv4-mapped-ipv6"},
    {"rfc5118", "ipv6-bug-abnf-3-colons"},
    {"rfc5118", "ipv6-correct-abnf-2-colons"},
};

// Every file it answers or drops (asserted case by case in rfc4475_test.cpp
// and rfc5118_test.cpp).
constexpr Case kRejected[] = {
    {"rfc4475", "badinv01"},   {"rfc4475", "clerr"},    {"rfc4475", "ncl"},      {"rfc4475", "scalar02"},
    {"rfc4475", "scalarlg"},   {"rfc4475", "quotbal"},  {"rfc4475", "ltgtruri"}, {"rfc4475", "lwsruri"},
    {"rfc4475", "lwsstart"},   {"rfc4475", "trws"},     {"rfc4475", "escruri"},  {"rfc4475", "regbadct"},
    {"rfc4475", "badaspec"},   {"rfc4475", "baddn"},    {"rfc4475", "badvers"},  {"rfc4475", "mismatch01"},
    {"rfc4475", "mismatch02"}, {"rfc4475", "bigcode"},  {"rfc4475", "insuf"},    {"rfc4475", "multi01"},
    {"rfc4475", "mcl01"},      {"rfc5118", "ipv6-bad"},
};

void PrintTo(const Case& c, std::ostream* os) {  // NOLINT(readability-identifier-naming): gtest's name
  *os << c.suite << '/' << c.name;
}

// The messages whose datagram carries octets after the body (§3.1.1.8).
bool has_extra_octets(const Case& c) {
  return c.suite == "rfc4475" && c.name == "dblreq";
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string out = std::string(info.param.suite) + "_" + std::string(info.param.name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// Same start line, same fields (id, name and value byte for byte, in order),
// same body.
::testing::AssertionResult same_message(const Message& a, const Message& b) {
  if (a.is_request() != b.is_request()) return ::testing::AssertionFailure() << "request vs response";
  if (a.is_request()) {
    if (a.method() != b.method() || a.method_text() != b.method_text()) {
      return ::testing::AssertionFailure() << "method '" << a.method_text() << "' vs '" << b.method_text() << "'";
    }
    if (a.request_uri_text() != b.request_uri_text()) {
      return ::testing::AssertionFailure()
             << "Request-URI '" << a.request_uri_text() << "' vs '" << b.request_uri_text() << "'";
    }
  } else if (a.status() != b.status() || a.reason() != b.reason()) {
    return ::testing::AssertionFailure() << "status line " << a.status() << " '" << a.reason() << "' vs " << b.status()
                                         << " '" << b.reason() << "'";
  }
  if (a.fields().size() != b.fields().size()) {
    return ::testing::AssertionFailure() << a.fields().size() << " vs " << b.fields().size() << " fields";
  }
  for (std::size_t i = 0; i < a.fields().size(); ++i) {
    const sip::HeaderField& fa = a.fields()[i];
    const sip::HeaderField& fb = b.fields()[i];
    if (fa.id != fb.id || a.name(fa) != b.name(fb) || a.value(fa) != b.value(fb)) {
      return ::testing::AssertionFailure() << "field " << i << ": '" << a.name(fa) << ": " << a.value(fa) << "' vs '"
                                           << b.name(fb) << ": " << b.value(fb) << "'";
    }
  }
  if (a.body() != b.body()) {
    return ::testing::AssertionFailure() << "bodies differ (" << a.body().size() << " vs " << b.body().size()
                                         << " bytes)";
  }
  return ::testing::AssertionSuccess();
}

Message parse_accepted(std::string bytes) {
  auto parsed = sip::parse_message(std::move(bytes));
  if (!parsed) {
    ADD_FAILURE() << "does not parse: " << parsed.error().error.reason;
    return Message::request("OPTIONS", "sip:invalid.invalid");
  }
  return std::move(*parsed);
}

class RoundTrip : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    bytes_ = load_message(GetParam().suite, GetParam().name);
    Verdict verdict = classify(bytes_);
    ASSERT_TRUE(accepted(verdict));
    original_.emplace(std::move(*verdict.message));
  }

  std::string bytes_;
  std::optional<Message> original_;
};

TEST_P(RoundTrip, PristineSerializationIsTheInputWithoutExtraDatagramOctets) {
  const Message& m = *original_;
  const std::size_t header_end = bytes_.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  const std::size_t message_end = header_end + 4 + m.body().size();
  ASSERT_LE(message_end, bytes_.size());
  EXPECT_EQ(message_end < bytes_.size(), has_extra_octets(GetParam()));
  const std::string serialized = m.serialize();
  EXPECT_EQ(serialized.size(), message_end);
  EXPECT_TRUE(serialized == std::string_view(bytes_).substr(0, message_end)) << "pristine serialization differs";
}

TEST_P(RoundTrip, PristineSerializationParsesBackToTheSameMessage) {
  const Message& m = *original_;
  const Message again = parse_accepted(m.serialize());
  EXPECT_TRUE(same_message(m, again));
  EXPECT_EQ(again.serialize(), m.serialize());
}

TEST_P(RoundTrip, RecomposedSerializationParsesBackToTheSameMessage) {
  const Message& m = *original_;
  ASSERT_FALSE(m.fields().empty());
  // Setting a field to its own value marks the message edited: serialize()
  // then composes the message from its parts instead of copying the input.
  Message edited = m;
  const std::size_t last = edited.fields().size() - 1;
  const std::string value(edited.value(edited.fields()[last]));
  edited.set_field_value(last, value);
  EXPECT_TRUE(same_message(m, edited));

  const std::string recomposed = edited.serialize();
  const std::string_view start_line = std::string_view(bytes_).substr(0, bytes_.find("\r\n"));
  EXPECT_EQ(std::string_view(recomposed).substr(0, recomposed.find("\r\n")), start_line);
  const Message again = parse_accepted(recomposed);
  EXPECT_TRUE(same_message(m, again));
  // The composed form is canonical: parsing and serializing it changes nothing.
  EXPECT_EQ(again.serialize(), recomposed);

  // Editing the first field instead composes the same bytes.
  Message edited_first = m;
  const std::string first_value(edited_first.value(edited_first.fields()[0]));
  edited_first.set_field_value(0, first_value);
  EXPECT_EQ(edited_first.serialize(), recomposed);
}

INSTANTIATE_TEST_SUITE_P(Rfc4475AndRfc5118, RoundTrip, ::testing::ValuesIn(kAccepted), case_name);

TEST(ConformanceCorpus, EveryMessageFileIsListedAsAcceptedOrRejectedAndClassifiedSo) {
  std::set<std::string> accepted;
  std::set<std::string> rejected;
  for (const Case& c : kAccepted) accepted.insert(std::string(c.suite) + "/" + std::string(c.name));
  for (const Case& c : kRejected) rejected.insert(std::string(c.suite) + "/" + std::string(c.name));

  std::size_t files = 0;
  for (std::string_view suite : {"rfc4475", "rfc5118"}) {
    for (const std::filesystem::path& path : test::list_files(messages_dir(suite))) {
      if (path.extension() != ".sip") continue;
      ++files;
      const std::string key = std::string(suite) + "/" + path.stem().string();
      const bool is_accepted = accepted.contains(key);
      EXPECT_NE(is_accepted, rejected.contains(key)) << key << " must be listed exactly once";
      const Verdict verdict = classify(test::read_file(path));
      EXPECT_EQ(verdict.action == Action::Accept, is_accepted) << key << ": " << verdict;
    }
  }
  // RFC 4475 §3 has 49 messages, RFC 5118 §4 has 12.
  EXPECT_EQ(files, 61U);
  EXPECT_EQ(accepted.size() + rejected.size(), 61U);
}

}  // namespace
}  // namespace voxgate::conformance
