#pragma once
// A SIP message (RFC 3261 §7). The message owns its bytes in one buffer;
// the start line, header names, header values and body are offset spans into
// it, so parsing copies nothing and a Message can be moved or copied freely.
// Typed header values are parsed on demand from those spans (get<Id>()).
//
// Edits append the new text to the buffer and repoint the span, which keeps
// every other span valid; string_views obtained earlier may dangle after an
// edit (the buffer can reallocate), as with std::string.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include "base/small_vector.hpp"

#include "sip/message/detail/list_split.hpp"
#include "sip/message/header_id.hpp"
#include "sip/message/header_traits.hpp"
#include "sip/message/method.hpp"
#include "sip/message/syntax_error.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip {

namespace detail {
class MessageParser;
// What lets the parser construct an empty Message in the result it returns
// (Message(ParserKey)); only MessageParser can make one.
class ParserKey {
  ParserKey() = default;
  friend class MessageParser;
};
}  // namespace detail

struct TextSpan {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

struct HeaderField {
  HeaderId id = HeaderId::Other;
  TextSpan name;   // as written: "Call-ID", "call-id" or "i"
  TextSpan value;  // leading/trailing LWS trimmed; inner folding kept verbatim
};

// The comma-separated elements of one header kind, across all its fields.
using HeaderValues = SmallVector<std::string_view, 4>;

class Message {
 public:
  using Fields = SmallVector<HeaderField, 24>;

  // An empty message for the parser to fill where its result lives (in the
  // tl::expected it returns, so the message is never moved; profiled).
  explicit Message(detail::ParserKey /*key*/) noexcept {}

  // New messages (use MessageBuilder for whole ones).
  static Message request(std::string_view method_token, std::string_view request_uri);
  static Message response(std::uint16_t status, std::string_view reason);

  [[nodiscard]] bool is_request() const noexcept { return request_; }
  [[nodiscard]] bool is_response() const noexcept { return !request_; }

  // Request line. method() is Extension for methods outside the Method enum;
  // method_text() is always the token as written.
  [[nodiscard]] Method method() const noexcept { return method_; }
  [[nodiscard]] std::string_view method_text() const noexcept { return text(method_text_); }
  [[nodiscard]] std::string_view request_uri_text() const noexcept { return text(request_uri_); }
  [[nodiscard]] Parsed<Uri> request_uri() const { return parse_uri(request_uri_text()); }

  // Status line.
  [[nodiscard]] std::uint16_t status() const noexcept { return status_; }
  [[nodiscard]] std::string_view reason() const noexcept { return text(reason_); }

  // Header fields in the order they appear.
  [[nodiscard]] const Fields& fields() const noexcept { return fields_; }
  [[nodiscard]] std::string_view name(const HeaderField& f) const noexcept { return text(f.name); }
  [[nodiscard]] std::string_view value(const HeaderField& f) const noexcept { return text(f.value); }

  [[nodiscard]] bool has(HeaderId id) const noexcept { return find_field(id) != nullptr; }
  [[nodiscard]] std::size_t count(HeaderId id) const noexcept;
  // The whole value of the first field of `id` (or named `name`, compared
  // case-insensitively and by compact form), as written.
  [[nodiscard]] std::optional<std::string_view> first_value(HeaderId id) const noexcept;
  [[nodiscard]] std::optional<std::string_view> first_value(std::string_view name) const noexcept;
  // Every value of `id`: the fields in order, list headers split at the
  // commas between elements (not those inside quotes or <>).
  [[nodiscard]] HeaderValues values(HeaderId id) const;

  [[nodiscard]] std::string_view body() const noexcept { return text(body_); }

  // Typed access, generated from HeaderTraits:
  //   get<Id>()     the first value; an error when absent or malformed
  //   find<Id>()    the first value or nullopt when absent; an error when malformed
  //   get_all<Id>() every value in order; an error when any is malformed
  template <HeaderId Id>
  [[nodiscard]] Parsed<HeaderValue<Id>> get() const;
  template <HeaderId Id>
  [[nodiscard]] Parsed<std::optional<HeaderValue<Id>>> find() const;
  template <HeaderId Id>
  [[nodiscard]] Parsed<std::vector<HeaderValue<Id>>> get_all() const;

  // The accessors every transaction and dialog needs, by name.
  [[nodiscard]] Parsed<Via> top_via() const { return get<HeaderId::Via>(); }
  [[nodiscard]] Parsed<NameAddr> from() const { return get<HeaderId::From>(); }
  [[nodiscard]] Parsed<NameAddr> to() const { return get<HeaderId::To>(); }
  [[nodiscard]] Parsed<std::string_view> call_id() const { return get<HeaderId::CallId>(); }
  [[nodiscard]] Parsed<CSeq> cseq() const { return get<HeaderId::CSeq>(); }
  [[nodiscard]] Parsed<std::vector<ContactValue>> contacts() const { return get_all<HeaderId::Contact>(); }
  // True when `tag` is listed in Supported/Require/Proxy-Require/Unsupported
  // (option tags compare case-insensitively).
  [[nodiscard]] bool has_option_tag(HeaderId id, std::string_view tag) const;

  // Editing. Fields are addressed by their index in fields(). A HeaderId
  // must name a header (not HeaderId::Other: pass the name instead).
  void add_header(HeaderId id, std::string_view value);
  void add_header(std::string_view name, std::string_view value);
  void insert_header(std::size_t index, HeaderId id, std::string_view value);
  // Replaces every field of `id` by one with `value`, where the first was
  // (or at the end when there was none).
  void set_header(HeaderId id, std::string_view value);
  std::size_t remove_headers(HeaderId id);
  void remove_field(std::size_t index);
  void set_field_value(std::size_t index, std::string_view value);
  void set_request_uri(std::string_view uri);
  // Sets the body and its Content-Length (and Content-Type when given).
  void set_body(std::string_view body, std::string_view content_type = {});

  // Wire form. A message parsed and not edited since serializes to exactly
  // the bytes it was parsed from (without extra datagram bytes after the body).
  [[nodiscard]] std::string serialize() const;
  void serialize_to(std::string& out) const;

 private:
  friend class detail::MessageParser;

  Message() = default;

  [[nodiscard]] std::string_view text(TextSpan s) const noexcept {
    return std::string_view(bytes_).substr(s.offset, s.length);
  }
  TextSpan append_text(std::string_view s);
  HeaderField make_field(HeaderId id, std::string_view name, std::string_view value);
  [[nodiscard]] const HeaderField* find_field(HeaderId id) const noexcept {
    for (const HeaderField& f : fields_) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
  // The value get<Id>() and find<Id>() parse: the field's first element for
  // a list header, the whole value otherwise (decided at compile time).
  template <HeaderId Id>
  [[nodiscard]] std::string_view first_value_of(const HeaderField& f) const noexcept {
    if constexpr (is_list_header(Id)) {
      return first_element(value(f));
    } else {
      return value(f);
    }
  }
  // Inline (list_split.hpp): a call per get<Via>/get<Contact> cost more than
  // the common no-comma case it takes (profiled).
  [[nodiscard]] static std::string_view first_element(std::string_view list_value) noexcept {
    std::size_t pos = 0;
    return detail::next_list_element(list_value, pos);
  }
  void mark_edited() noexcept { wire_ = {}; }

  template <HeaderId Id>
  static Parsed<void> parse_value_into(std::string_view text, HeaderValue<Id>& out);
  // The errors of the typed accessors, out of line: formatting them in each
  // accessor gave every call a larger stack frame (profiled).
  [[gnu::cold]] static tl::unexpected<SyntaxError> missing_header(HeaderId id);
  [[gnu::cold]] static tl::unexpected<SyntaxError> bad_header(HeaderId id, const SyntaxError& error);

  std::string bytes_;
  Fields fields_;
  bool request_ = true;
  Method method_ = Method::Extension;
  std::uint16_t status_ = 0;
  TextSpan method_text_;
  TextSpan request_uri_;
  TextSpan reason_;
  TextSpan body_;
  TextSpan wire_;  // the parsed message as received; empty once edited
};

// ---- template implementation ----
// Values are parsed in place in the returned object (parse_in_place style):
// a large typed value is built where the caller receives it, never moved.

// Always inlined into get<Id>()/find<Id>()/get_all<Id>(): as a function of
// its own it was a second frame and a second Parsed<void> per typed access
// (profiled: 38 instructions per INVITE for the six values read).
template <HeaderId Id>
[[gnu::always_inline]] inline Parsed<void> Message::parse_value_into(std::string_view text, HeaderValue<Id>& out) {
  auto parsed = HeaderTraits<Id>::parse_into(text, out);
  if (!parsed) return bad_header(Id, parsed.error());
  return parsed;
}

template <HeaderId Id>
Parsed<HeaderValue<Id>> Message::get() const {
  Parsed<HeaderValue<Id>> result;
  const HeaderField* f = find_field(Id);
  if (f == nullptr) {
    result = missing_header(Id);
  } else if (auto ok = parse_value_into<Id>(first_value_of<Id>(*f), *result); !ok) {
    result = tl::unexpected(std::move(ok.error()));
  }
  return result;
}

template <HeaderId Id>
Parsed<std::optional<HeaderValue<Id>>> Message::find() const {
  Parsed<std::optional<HeaderValue<Id>>> result;
  const HeaderField* f = find_field(Id);
  if (f == nullptr) return result;
  if (auto ok = parse_value_into<Id>(first_value_of<Id>(*f), result->emplace()); !ok) {
    result = tl::unexpected(std::move(ok.error()));
  }
  return result;
}

template <HeaderId Id>
Parsed<std::vector<HeaderValue<Id>>> Message::get_all() const {
  Parsed<std::vector<HeaderValue<Id>>> result;
  const HeaderValues elements = values(Id);
  result->reserve(elements.size());
  for (std::string_view element : elements) {
    if (auto ok = parse_value_into<Id>(element, result->emplace_back()); !ok) {
      result = tl::unexpected(std::move(ok.error()));
      break;
    }
  }
  return result;
}

}  // namespace voxgate::sip
