// libFuzzer target: wire bytes -> parse_message (datagram and stream framing)
// -> validate_message, every typed accessor, serialization, responses.
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - a message that parses serializes to bytes that parse again to the same
//    start line, header fields and body, both as received (pristine) and
//    rebuilt field by field after an edit;
//  - the stream parse equals the datagram parse, or fails for want of a
//    Content-Length only; a failure is the same whatever the framing;
//  - get<Id>() and find<Id>() agree for every typed header;
//  - after validate_message() succeeds the mandatory accessors succeed;
//  - a failure carries the partial request exactly when it is to be answered,
//    and make_response() on it yields a response that parses, with the status
//    and reason it was built with.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_touch.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::sip::fuzz {
namespace {

// Re-parsing what we built is about well-formedness, not about the receive
// limits: a response copies headers verbatim and may come out a few bytes
// longer than the request it answers.
ParseOptions relaxed(Framing framing) {
  ParseOptions o;
  o.framing = framing;
  o.limits.max_message_bytes = 1U << 22;
  o.limits.max_headers = 1U << 16;
  o.limits.max_line_bytes = 1U << 22;
  return o;
}

template <HeaderId Id>
concept Typed = requires {
  typename HeaderTraits<Id>::Value;
};

// The ids of the fields present: only those are worth a full look (an absent
// header takes the same path for every id, checked once in access_everything).
using Present = std::bitset<static_cast<std::size_t>(HeaderId::Count_)>;

template <HeaderId Id>
void access(const Message& m, const Present& present) {
  if (!present.test(static_cast<std::size_t>(Id))) return;
  touch(m.count(Id));
  touch(m.first_value(Id));
  for (std::string_view v : m.values(Id)) touch(v);
  if constexpr (Id != HeaderId::Other) {
    // Lookup by the canonical name and by the compact form finds the same field.
    FUZZ_CHECK(m.first_value(canonical_name(Id)) == m.first_value(Id));
    if (const char c = compact_form(Id); c != '\0')
      FUZZ_CHECK(m.first_value(std::string_view(&c, 1)) == m.first_value(Id));
  }
  if constexpr (Typed<Id>) {
    const auto all = m.get_all<Id>();
    if (all) {
      for (const auto& v : *all) touch(v);
    } else {
      touch(all.error().reason);
    }
    const auto first = m.get<Id>();
    const auto found = m.find<Id>();
    if (first) touch(*first);
    // Both parse the first element of the first field.
    FUZZ_CHECK(m.has(Id));
    FUZZ_CHECK(first.has_value() == found.has_value());
    if (found) FUZZ_CHECK(found->has_value());
  }
}

template <std::size_t... I>
void access_all(const Message& m, const Present& present, std::index_sequence<I...> /*ids*/) {
  (access<static_cast<HeaderId>(I)>(m, present), ...);
}

template <HeaderId Id>
void check_absent(const Message& m) {
  if (m.has(Id)) return;
  FUZZ_CHECK(m.count(Id) == 0 && !m.first_value(Id) && m.values(Id).empty());
  FUZZ_CHECK(!m.get<Id>().has_value());
  const auto found = m.find<Id>();
  FUZZ_CHECK(found && !found->has_value());
  const auto all = m.get_all<Id>();
  FUZZ_CHECK(all && all->empty());
}

void access_everything(const Message& m) {
  touch(m.method_text());
  touch(m.request_uri_text());
  touch(m.reason());
  touch(m.body());
  touch(m.status());
  for (const HeaderField& f : m.fields()) {
    touch(m.name(f));
    touch(m.value(f));
    FUZZ_CHECK(f.id == header_id_from_name(m.name(f)));
  }
  if (m.is_request()) {
    FUZZ_CHECK(m.method() == method_from_token(m.method_text()));
    if (const auto uri = m.request_uri()) touch(*uri);
  }
  (void)m.top_via();
  (void)m.from();
  (void)m.to();
  (void)m.call_id();
  (void)m.cseq();
  (void)m.contacts();
  touch(m.has_option_tag(HeaderId::Supported, "timer"));
  touch(m.has_option_tag(HeaderId::Require, "100rel"));
  Present present;
  for (const HeaderField& f : m.fields()) present.set(static_cast<std::size_t>(f.id));
  access_all(m, present, std::make_index_sequence<static_cast<std::size_t>(HeaderId::Count_)>{});
  check_absent<HeaderId::Via>(m);
  check_absent<HeaderId::Contact>(m);
  check_absent<HeaderId::Date>(m);
}

void check_same(const Message& a, const Message& b) {
  FUZZ_CHECK(a.is_request() == b.is_request());
  if (a.is_request()) {
    FUZZ_CHECK(a.method_text() == b.method_text());
    FUZZ_CHECK(a.request_uri_text() == b.request_uri_text());
  } else {
    FUZZ_CHECK(a.status() == b.status());
    FUZZ_CHECK(a.reason() == b.reason());
  }
  FUZZ_CHECK(a.fields().size() == b.fields().size());
  for (std::size_t i = 0; i < a.fields().size(); ++i) {
    const HeaderField& fa = a.fields()[i];
    const HeaderField& fb = b.fields()[i];
    FUZZ_CHECK(fa.id == fb.id);
    FUZZ_CHECK(a.name(fa) == b.name(fb));
    FUZZ_CHECK(a.value(fa) == b.value(fb));
  }
  FUZZ_CHECK(a.body() == b.body());
}

// The response `request` gets, built, serialized and parsed back.
void check_response(const Message& request, std::uint16_t status, std::string_view reason, std::string_view to_tag) {
  FUZZ_CHECK(request.is_request());
  const Message response = make_response(request, status, reason, to_tag).build();
  const std::string wire = response.serialize();
  const auto parsed = parse_message(wire, relaxed(Framing::Stream));
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(parsed->is_response());
  FUZZ_CHECK(parsed->status() == status);
  FUZZ_CHECK(parsed->reason() == (reason.empty() ? default_reason(status) : reason));
  check_same(response, *parsed);
  // §8.2.6.2: every Via, From, Call-ID and CSeq copied.
  for (HeaderId id : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    FUZZ_CHECK(parsed->count(id) == request.count(id));
  }
}

void check_parsed(const Message& m, Framing framing) {
  access_everything(m);

  // Pristine serialization: the bytes as received, parsed again.
  const std::string wire = m.serialize();
  ParseOptions options;
  options.framing = framing;
  const auto again = parse_message(wire, options);
  FUZZ_CHECK(again.has_value());
  check_same(m, *again);
  FUZZ_CHECK(again->serialize() == wire);

  // Rebuilt serialization: an edit that changes nothing forces serialize_to()
  // to write the message field by field.
  Message edited = m;
  if (m.is_request()) {
    edited.set_request_uri(std::string(m.request_uri_text()));
  } else if (!m.fields().empty()) {
    edited.set_field_value(0, std::string(m.value(m.fields()[0])));
  }
  const auto rebuilt = parse_message(edited.serialize(), relaxed(framing));
  FUZZ_CHECK(rebuilt.has_value());
  check_same(m, *rebuilt);

  const auto valid = validate_message(m);
  if (valid) {
    FUZZ_CHECK(m.top_via().has_value());
    FUZZ_CHECK(m.from().has_value());
    FUZZ_CHECK(m.to().has_value());
    FUZZ_CHECK(m.call_id().has_value());
    FUZZ_CHECK(m.cseq().has_value());
    if (m.is_request()) {
      FUZZ_CHECK(m.contacts().has_value());
      FUZZ_CHECK(m.find<HeaderId::MaxForwards>().has_value());
      FUZZ_CHECK(m.cseq()->method_text == m.method_text());
      check_response(m, 200, {}, "fuzz-tag");
      check_response(m, 100, {}, {});
    }
  } else {
    FUZZ_CHECK(valid.error().respond() == m.is_request());
    if (valid.error().respond()) {
      FUZZ_CHECK(valid.error().status >= 400 && valid.error().status <= 699);
      check_response(m, valid.error().status, valid.error().reason, {});
    }
  }
}

void check_failure(const ParseFailure& failure) {
  // The partial request comes exactly with the errors that are answered.
  FUZZ_CHECK(failure.error.respond() == failure.request.has_value());
  if (!failure.error.respond()) return;
  FUZZ_CHECK(failure.error.status >= 400 && failure.error.status <= 699);
  const Message& request = *failure.request;
  access_everything(request);
  (void)validate_message(request);
  check_response(request, failure.error.status, failure.error.reason, {});
  check_response(request, failure.error.status, failure.error.reason, "fuzz-tag");
}

// Both framings. They differ only in that a stream message must have a
// Content-Length, so the stream parse is checked against the datagram one
// rather than explored again.
void run(std::string_view input) {
  ParseOptions datagram;
  datagram.framing = Framing::Datagram;
  ParseOptions stream;
  stream.framing = Framing::Stream;
  const auto as_datagram = parse_message(std::string(input), datagram);
  const auto as_stream = parse_message(std::string(input), stream);
  if (as_datagram) {
    check_parsed(*as_datagram, Framing::Datagram);
    if (as_stream) {
      check_same(*as_datagram, *as_stream);
      FUZZ_CHECK(as_stream->serialize() == as_datagram->serialize());
    } else {
      FUZZ_CHECK(as_stream.error().error.code == ParseErrorCode::MissingContentLength);
      FUZZ_CHECK(!as_datagram->has(HeaderId::ContentLength));
      check_failure(as_stream.error());
    }
  } else {
    check_failure(as_datagram.error());
    // The first error found is the one reported, whatever the framing.
    FUZZ_CHECK(!as_stream.has_value());
    FUZZ_CHECK(as_stream.error().error.code == as_datagram.error().error.code);
    FUZZ_CHECK(as_stream.error().error.status == as_datagram.error().error.status);
  }
}

}  // namespace
}  // namespace voxgate::sip::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sip::fuzz::run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
