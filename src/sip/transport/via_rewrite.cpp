#include "sip/transport/via_rewrite.hpp"

#include <algorithm>
#include <vector>

namespace voxgate::sip {

namespace {

// The end of the first element of a Via field value: the first comma outside
// a quoted string (via-extension values may be quoted-strings, §25.1).
std::size_t first_element_end(std::string_view value) noexcept {
  bool in_quotes = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      return i;
    }
  }
  return value.size();
}

bool is_lws(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// One splice of the element: replace [offset, offset + length) by `text`.
struct Splice {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string text;
};

std::size_t offset_in(std::string_view outer, std::string_view inner) noexcept {
  return static_cast<std::size_t>(inner.data() - outer.data());
}

}  // namespace

boost::asio::ip::address normalize_source(const boost::asio::ip::address& ip) {
  if (ip.is_v6() && ip.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
  }
  return ip;
}

bool sent_by_host_is(std::string_view host, const boost::asio::ip::address& source) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(host, ec);
  if (ec) return false;  // a name, or not an address at all
  return normalize_source(ip) == normalize_source(source);
}

std::optional<std::string> stamp_via_element(std::string_view element, const Via& via, const Address& source) {
  const auto source_ip = normalize_source(source.ip);
  std::vector<Splice> splices;

  const Param* rport = via.params.find("rport");
  if (rport != nullptr && !rport->has_value) {
    splices.push_back({offset_in(element, rport->name) + rport->name.size(), 0, fmt::format("={}", source.port)});
  }
  const bool need_received = rport != nullptr || !sent_by_host_is(via.host, source_ip);
  if (need_received) {
    // §25.1: received = IPv4address / IPv6address, without brackets.
    const std::string ip_text = source_ip.to_string();
    const Param* received = via.params.find("received");
    if (received == nullptr) {
      splices.push_back({element.size(), 0, ";received=" + ip_text});
    } else if (received->value != ip_text) {
      // The parser accepts only non-empty address values, so `value` points
      // into the element.
      splices.push_back({offset_in(element, received->value), received->value.size(), ip_text});
    }
  }
  if (splices.empty()) return std::nullopt;

  std::ranges::sort(splices, [](const Splice& a, const Splice& b) { return a.offset < b.offset; });
  std::string out;
  out.reserve(element.size() + 64);
  std::size_t pos = 0;
  for (const Splice& s : splices) {
    out.append(element.substr(pos, s.offset - pos));
    out.append(s.text);
    pos = s.offset + s.length;
  }
  out.append(element.substr(pos));
  return out;
}

bool stamp_received_rport(Message& request, const Address& source) {
  const auto& fields = request.fields();
  const auto field = std::ranges::find_if(fields, [](const HeaderField& f) { return f.id == HeaderId::Via; });
  if (field == fields.end()) return false;
  const auto index = static_cast<std::size_t>(field - fields.begin());
  const std::string_view value = request.value(*field);

  std::size_t begin = 0;
  std::size_t end = first_element_end(value);
  while (begin < end && is_lws(value[begin])) ++begin;
  while (end > begin && is_lws(value[end - 1])) --end;
  const std::string_view element = value.substr(begin, end - begin);

  const auto via = parse_via(element);
  if (!via) return false;
  auto stamped = stamp_via_element(element, *via, source);
  if (!stamped) return true;

  std::string new_value;
  new_value.reserve(value.size() + stamped->size() - element.size());
  new_value.append(value.substr(0, begin)).append(*stamped).append(value.substr(end));
  request.set_field_value(index, new_value);
  return true;
}

std::string format_host(const boost::asio::ip::address& ip) {
  if (ip.is_v6()) return fmt::format("[{}]", ip.to_string());
  return ip.to_string();
}

std::string format_host_port(std::string_view host, std::uint16_t port) {
  // An IPv6 literal given without brackets (a configured advertised host).
  if (host.find(':') != std::string_view::npos && host.front() != '[') return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

std::string make_via_value(TransportKind transport, std::string_view sent_by, std::string_view branch) {
  return fmt::format("SIP/2.0/{} {};branch={};rport", to_string(transport), sent_by, branch);
}

}  // namespace voxgate::sip
