#include "sip/message/message.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "base/ascii.hpp"
#include "sip/message/detail/list_split.hpp"

namespace voxgate::sip {

namespace {
constexpr std::string_view kVersion = "SIP/2.0";
constexpr std::string_view kCrlf = "\r\n";
}  // namespace

Message Message::request(std::string_view method_token, std::string_view request_uri) {
  Message m;
  m.bytes_.reserve(512);
  m.request_ = true;
  m.method_ = method_from_token(method_token);
  m.method_text_ = m.append_text(method_token);
  m.request_uri_ = m.append_text(request_uri);
  return m;
}

Message Message::response(std::uint16_t status, std::string_view reason) {
  Message m;
  m.bytes_.reserve(512);
  m.request_ = false;
  m.status_ = status;
  m.reason_ = m.append_text(reason);
  return m;
}

TextSpan Message::append_text(std::string_view s) {
  const auto offset = static_cast<std::uint32_t>(bytes_.size());
  bytes_.append(s);
  return TextSpan{offset, static_cast<std::uint32_t>(s.size())};
}

HeaderField Message::make_field(HeaderId id, std::string_view name, std::string_view value) {
  if (name.empty()) throw std::logic_error("Message: a header needs a name (HeaderId::Other has none)");
  HeaderField f;
  f.id = id;
  f.name = append_text(name);
  f.value = append_text(value);
  return f;
}

tl::unexpected<SyntaxError> Message::missing_header(HeaderId id) {
  return syntax_error(fmt::format("Missing {} header", canonical_name(id)));
}

tl::unexpected<SyntaxError> Message::bad_header(HeaderId id, const SyntaxError& error) {
  return syntax_error(fmt::format("Bad {} header: {}", canonical_name(id), error.reason));
}

std::size_t Message::count(HeaderId id) const noexcept {
  std::size_t n = 0;
  for (const HeaderField& f : fields_) n += f.id == id ? 1 : 0;
  return n;
}

std::optional<std::string_view> Message::first_value(HeaderId id) const noexcept {
  const HeaderField* f = find_field(id);
  if (f == nullptr) return std::nullopt;
  return value(*f);
}

std::optional<std::string_view> Message::first_value(std::string_view header_name) const noexcept {
  const HeaderId id = header_id_from_name(header_name);
  if (id != HeaderId::Other) return first_value(id);
  for (const HeaderField& f : fields_) {
    if (f.id == HeaderId::Other && ascii::iequals(name(f), header_name)) return value(f);
  }
  return std::nullopt;
}

HeaderValues Message::values(HeaderId id) const {
  HeaderValues out;
  const bool list = is_list_header(id);
  for (const HeaderField& f : fields_) {
    if (f.id != id) continue;
    const std::string_view v = value(f);
    if (!list) {
      out.push_back(v);
      continue;
    }
    if (detail::trim_lws(v).empty()) continue;  // "Supported:" lists nothing
    for (std::size_t pos = 0; pos <= v.size();) out.push_back(detail::next_list_element(v, pos));
  }
  return out;
}

bool Message::has_option_tag(HeaderId id, std::string_view tag) const {
  return std::ranges::any_of(values(id), [tag](std::string_view v) { return ascii::iequals(v, tag); });
}

void Message::add_header(HeaderId id, std::string_view v) {
  fields_.push_back(make_field(id, canonical_name(id), v));
  mark_edited();
}

void Message::add_header(std::string_view header_name, std::string_view v) {
  fields_.push_back(make_field(header_id_from_name(header_name), header_name, v));
  mark_edited();
}

void Message::insert_header(std::size_t index, HeaderId id, std::string_view v) {
  if (index > fields_.size()) index = fields_.size();
  fields_.insert(fields_.begin() + static_cast<std::ptrdiff_t>(index), make_field(id, canonical_name(id), v));
  mark_edited();
}

void Message::set_header(HeaderId id, std::string_view v) {
  if (id == HeaderId::Other) throw std::logic_error("Message::set_header: HeaderId::Other names no header");
  std::size_t index = fields_.size();
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].id == id) {
      index = i;
      break;
    }
  }
  if (index == fields_.size()) {
    add_header(id, v);
    return;
  }
  fields_[index].value = append_text(v);
  for (std::size_t i = fields_.size(); i-- > index + 1;) {
    if (fields_[i].id == id) fields_.erase(fields_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  mark_edited();
}

std::size_t Message::remove_headers(HeaderId id) {
  const std::size_t before = fields_.size();
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(), [id](const HeaderField& f) { return f.id == id; }),
                fields_.end());
  if (fields_.size() != before) mark_edited();
  return before - fields_.size();
}

void Message::remove_field(std::size_t index) {
  if (index >= fields_.size()) return;
  fields_.erase(fields_.begin() + static_cast<std::ptrdiff_t>(index));
  mark_edited();
}

void Message::set_field_value(std::size_t index, std::string_view v) {
  if (index >= fields_.size()) return;
  fields_[index].value = append_text(v);
  mark_edited();
}

void Message::set_request_uri(std::string_view uri) {
  request_uri_ = append_text(uri);
  mark_edited();
}

void Message::set_body(std::string_view new_body, std::string_view content_type) {
  body_ = append_text(new_body);
  set_header(HeaderId::ContentLength, fmt::format_int(new_body.size()).c_str());
  if (!content_type.empty()) set_header(HeaderId::ContentType, content_type);
  mark_edited();
}

std::string Message::serialize() const {
  std::string out;
  serialize_to(out);
  return out;
}

void Message::serialize_to(std::string& out) const {
  if (wire_.length != 0) {
    out.append(text(wire_));
    return;
  }
  std::size_t size = kVersion.size() + 16 + body_.length + 2;
  size += request_ ? method_text_.length + request_uri_.length : reason_.length;
  for (const HeaderField& f : fields_) size += f.name.length + f.value.length + 4;
  out.reserve(out.size() + size);

  if (request_) {
    out.append(method_text()).append(" ").append(request_uri_text()).append(" ").append(kVersion);
  } else {
    char code[4] = {static_cast<char>('0' + status_ / 100 % 10), static_cast<char>('0' + status_ / 10 % 10),
                    static_cast<char>('0' + status_ % 10), '\0'};
    out.append(kVersion).append(" ").append(code).append(" ").append(reason());
  }
  out.append(kCrlf);
  for (const HeaderField& f : fields_) out.append(name(f)).append(": ").append(value(f)).append(kCrlf);
  out.append(kCrlf);
  out.append(body());
}

}  // namespace voxgate::sip
