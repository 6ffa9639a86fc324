#include "conformance/classify.hpp"

#include <utility>
#include <vector>

#include "sip/message/builder.hpp"
#include "sip/message/validate.hpp"
#include "support/test_data.hpp"

namespace voxgate::sip {

void PrintTo(ParseErrorCode code, std::ostream* os) {
  *os << to_string(code);
}

}  // namespace voxgate::sip

namespace voxgate::conformance {

namespace {

constexpr std::string_view kAnswerTag = "conf7a";

std::vector<std::string> field_values(const sip::Message& m, sip::HeaderId id) {
  std::vector<std::string> out;
  for (const sip::HeaderField& f : m.fields()) {
    if (f.id == id) out.emplace_back(m.value(f));
  }
  return out;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, Action action) {
  switch (action) {
    case Action::Accept: return os << "accept";
    case Action::Respond: return os << "respond";
    case Action::Drop: return os << "drop";
  }
  return os << "?";
}

std::ostream& operator<<(std::ostream& os, const Verdict& verdict) {
  os << verdict.action;
  if (verdict.action == Action::Respond) os << ' ' << verdict.status;
  if (verdict.code) os << " (" << sip::to_string(*verdict.code) << ": " << verdict.reason << ')';
  return os;
}

Verdict classify(std::string bytes, sip::Framing framing) {
  sip::ParseOptions options;
  options.framing = framing;
  auto parsed = sip::parse_message(std::move(bytes), options);
  Verdict verdict;
  if (!parsed) {
    sip::ParseFailure& failure = parsed.error();
    verdict.action = failure.error.respond() ? Action::Respond : Action::Drop;
    verdict.status = failure.error.status;
    verdict.code = failure.error.code;
    verdict.reason = failure.error.reason;
    verdict.message = std::move(failure.request);
    return verdict;
  }
  auto valid = sip::validate_message(*parsed);
  if (!valid) {
    verdict.action = valid.error().respond() ? Action::Respond : Action::Drop;
    verdict.status = valid.error().status;
    verdict.code = valid.error().code;
    verdict.reason = valid.error().reason;
  } else {
    verdict.action = Action::Accept;
  }
  verdict.message = std::move(*parsed);
  return verdict;
}

std::filesystem::path messages_dir(std::string_view suite) {
  return test::source_dir() / "tests/conformance/messages" / std::string(suite);
}

std::string load_message(std::string_view suite, std::string_view name) {
  return test::read_file(messages_dir(suite) / (std::string(name) + ".sip"));
}

Verdict classify_file(std::string_view suite, std::string_view name, sip::Framing framing) {
  return classify(load_message(suite, name), framing);
}

::testing::AssertionResult accepted(const Verdict& verdict) {
  if (verdict.action == Action::Accept && verdict.message) return ::testing::AssertionSuccess() << "accepted";
  return ::testing::AssertionFailure() << "expected accept, got " << verdict;
}

::testing::AssertionResult responds(const Verdict& verdict, std::uint16_t status, sip::ParseErrorCode code) {
  if (verdict.action == Action::Respond && verdict.status == status && verdict.code == code) {
    return ::testing::AssertionSuccess() << verdict;
  }
  return ::testing::AssertionFailure() << "expected respond " << status << " (" << sip::to_string(code) << "), got "
                                       << verdict;
}

::testing::AssertionResult drops(const Verdict& verdict, sip::ParseErrorCode code) {
  if (verdict.action == Action::Drop && verdict.status == 0 && verdict.code == code) {
    return ::testing::AssertionSuccess() << verdict;
  }
  return ::testing::AssertionFailure() << "expected drop (" << sip::to_string(code) << "), got " << verdict;
}

::testing::AssertionResult answer_is_buildable(const Verdict& verdict) {
  if (verdict.action != Action::Respond) return ::testing::AssertionFailure() << "not a respond verdict: " << verdict;
  if (!verdict.message) return ::testing::AssertionFailure() << "no request to answer";
  const sip::Message& request = *verdict.message;
  if (!request.is_request()) return ::testing::AssertionFailure() << "the message to answer is not a request";

  const sip::Message answer = sip::make_response(request, verdict.status, verdict.reason, kAnswerTag).build();
  auto reparsed = sip::parse_message(answer.serialize());
  if (!reparsed) {
    return ::testing::AssertionFailure() << "the answer does not parse: " << reparsed.error().error.reason;
  }
  if (!reparsed->is_response() || reparsed->status() != verdict.status) {
    return ::testing::AssertionFailure() << "the answer has status " << reparsed->status();
  }
  if (reparsed->reason() != verdict.reason) {
    return ::testing::AssertionFailure() << "the answer has reason '" << reparsed->reason() << "'";
  }
  for (sip::HeaderId id :
       {sip::HeaderId::Via, sip::HeaderId::From, sip::HeaderId::To, sip::HeaderId::CallId, sip::HeaderId::CSeq}) {
    std::vector<std::string> expected = field_values(request, id);
    if (id == sip::HeaderId::To) {
      // make_response() tags the copied To when the request's To has no tag.
      const auto to = request.to();
      if (to && !to->tag()) {
        for (std::string& value : expected) value += ";tag=" + std::string(kAnswerTag);
      }
    }
    const std::vector<std::string> got = field_values(*reparsed, id);
    if (got != expected) {
      return ::testing::AssertionFailure()
             << "the answer's " << sip::canonical_name(id) << " fields differ from the request's";
    }
  }
  return ::testing::AssertionSuccess() << "answer " << verdict.status << " built";
}

std::string repeat(std::string_view text, std::size_t n) {
  std::string out;
  out.reserve(text.size() * n);
  for (std::size_t i = 0; i < n; ++i) out.append(text);
  return out;
}

}  // namespace voxgate::conformance
