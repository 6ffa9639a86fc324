#include "sdp/parser.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/ascii.hpp"
#include "sdp/detail/address.hpp"
#include "sdp/detail/text.hpp"

namespace voxgate::sdp {

namespace {

using detail::is_text;
using detail::is_token;
using detail::parse_decimal;
using detail::quote;
using detail::split_fields;

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

// proto = token *("/" token) (RFC 4566 §9).
bool is_proto(std::string_view proto) {
  if (proto.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = proto.find('/', start);
    const std::string_view part = proto.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (!is_token(part)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::optional<AddressType> address_type_from(std::string_view text) {
  if (ascii::iequals(text, "IP4")) return AddressType::IP4;
  if (ascii::iequals(text, "IP6")) return AddressType::IP6;
  return std::nullopt;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  Result<SessionDescription> run() {
    if (text_.size() > limits_.max_size) {
      return make_error(Errc::LimitExceeded, "SDP of {} bytes exceeds the limit of {}", text_.size(), limits_.max_size);
    }
    std::size_t pos = 0;
    while (pos < text_.size()) {
      const std::size_t end = text_.find('\n', pos);
      std::string_view line = text_.substr(pos, end == std::string_view::npos ? end : end - pos);
      pos = end == std::string_view::npos ? text_.size() : end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_number_;
      if (line_number_ > limits_.max_lines) {
        return make_error(Errc::LimitExceeded, "SDP has more than {} lines", limits_.max_lines);
      }
      if (line.size() > limits_.max_line_length) {
        return make_error(Errc::LimitExceeded, "SDP line {} is longer than {} bytes", line_number_,
                          limits_.max_line_length);
      }
      if (detail::trim(line).empty()) continue;  // blank lines: tolerated
      if (auto ok = parse_line(line); !ok) return tl::unexpected(std::move(ok.error()));
    }
    if (!seen_version_) return make_error(Errc::InvalidArgument, "SDP is empty (no v= line)");
    if (!seen_origin_) return make_error(Errc::InvalidArgument, "SDP has no o= line (RFC 4566 §5.2)");
    if (!seen_name_) return make_error(Errc::InvalidArgument, "SDP has no s= line (RFC 4566 §5.3)");
    // RFC 4566 requires t=; a few peers leave it out. SIP sessions are
    // unbounded, which is what "t=0 0" says.
    if (sdp_.timings.empty()) sdp_.timings.push_back(Timing{});
    return std::move(sdp_);
  }

 private:
  using Step = Result<void>;

  template <class... Args>
  tl::unexpected<Error> fail(fmt::format_string<Args...> format, Args&&... args) const {
    return fail_with(Errc::InvalidArgument, fmt::format(format, std::forward<Args>(args)...));
  }
  tl::unexpected<Error> fail_with(Errc code, std::string_view what) const {
    return make_error(code, "SDP line {} ({}=): {}", line_number_, type_, what);
  }

  Step parse_line(std::string_view line) {
    if (line.size() < 2 || line[1] != '=') {
      return make_error(Errc::InvalidArgument, "SDP line {}: expected <type>=<value>, got {}", line_number_,
                        quote(line));
    }
    type_ = line[0];
    if (type_ < 'a' || type_ > 'z') {
      return make_error(Errc::InvalidArgument, "SDP line {}: invalid type {} (RFC 4566 §5: one lower-case letter)",
                        line_number_, quote(line.substr(0, 1)));
    }
    const std::string_view value = detail::trim_right(line.substr(2));
    if (!is_text(value)) return fail("control character in value {}", quote(value));
    if (!seen_version_) {
      if (type_ != 'v') return fail("the description must start with v=0 (RFC 4566 §5)");
      if (detail::trim(value) != "0") return fail("unsupported version {} (only v=0 exists)", quote(value));
      seen_version_ = true;
      return {};
    }
    MediaDescription* media = sdp_.media.empty() ? nullptr : &sdp_.media.back();
    switch (type_) {
      case 'v': return fail("duplicate v= line");
      case 'm': return parse_media(value);
      case 'i':
        if (media != nullptr) return set_once(media->title, value);
        return set_once(sdp_.information, value);
      case 'c':
        if (media != nullptr) {
          auto c = parse_connection(value);
          if (!c) return tl::unexpected(std::move(c.error()));
          media->connections.push_back(std::move(*c));
          return {};
        }
        if (sdp_.connection) return fail("duplicate c= line");
        {
          auto c = parse_connection(value);
          if (!c) return tl::unexpected(std::move(c.error()));
          sdp_.connection = std::move(*c);
        }
        return {};
      case 'b': {
        auto b = parse_bandwidth(value);
        if (!b) return tl::unexpected(std::move(b.error()));
        (media != nullptr ? media->bandwidths : sdp_.bandwidths).push_back(std::move(*b));
        return {};
      }
      case 'k':
        if (media != nullptr) return set_once(media->key, value);
        return set_once(sdp_.key, value);
      case 'a': {
        auto a = parse_attribute(value);
        if (!a) return tl::unexpected(std::move(a.error()));
        (media != nullptr ? media->attributes : sdp_.attributes).push_back(std::move(*a));
        return {};
      }
      default: break;
    }
    if (type_ == 'o' || type_ == 's' || type_ == 'u' || type_ == 'e' || type_ == 'p' || type_ == 't' || type_ == 'r' ||
        type_ == 'z') {
      if (media != nullptr) return fail("{}= is not allowed in a media description (RFC 4566 §5)", type_);
      return parse_session_line(value);
    }
    (media != nullptr ? media->other_lines : sdp_.other_lines).push_back(OtherLine{type_, std::string(value)});
    return {};
  }

  Step parse_session_line(std::string_view value) {
    switch (type_) {
      case 'o': {
        if (seen_origin_) return fail("duplicate o= line");
        auto o = parse_origin(value);
        if (!o) return tl::unexpected(std::move(o.error()));
        sdp_.origin = std::move(*o);
        seen_origin_ = true;
        return {};
      }
      case 's':
        if (seen_name_) return fail("duplicate s= line");
        seen_name_ = true;
        sdp_.session_name = std::string(value);
        return {};
      case 'u': return set_once(sdp_.uri, value);
      case 'e': sdp_.emails.emplace_back(value); return {};
      case 'p': sdp_.phones.emplace_back(value); return {};
      case 't': {
        const auto fields = split_fields(value);
        if (fields.size() != 2) return fail("expected \"<start> <stop>\", got {}", quote(value));
        const auto start = parse_decimal(fields[0], kU64Max);
        const auto stop = parse_decimal(fields[1], kU64Max);
        if (!start || !stop) return fail("invalid time {}", quote(value));
        sdp_.timings.push_back(Timing{*start, *stop, {}});
        return {};
      }
      case 'r':
        if (sdp_.timings.empty()) return fail("r= must follow a t= line (RFC 4566 §5.10)");
        sdp_.timings.back().repeats.emplace_back(value);
        return {};
      case 'z': return set_once(sdp_.time_zones, value);
      default: return fail("unexpected line");  // unreachable: the caller filters the types
    }
  }

  Step set_once(std::optional<std::string>& field, std::string_view value) {
    if (field) return fail("duplicate {}= line", type_);
    field = std::string(value);
    return {};
  }

  // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
  Result<Origin> parse_origin(std::string_view value) {
    const auto fields = split_fields(value);
    if (fields.size() != 6) {
      return fail("expected \"<username> <sess-id> <sess-version> IN <addrtype> <address>\", got {}", quote(value));
    }
    Origin o;
    o.username = std::string(fields[0]);
    const auto id = parse_decimal(fields[1], kU64Max);
    if (!id) return fail("invalid sess-id {}", quote(fields[1]));
    o.session_id = SessionId(*id);
    const auto version = parse_decimal(fields[2], kU64Max);
    if (!version) return fail("invalid sess-version {}", quote(fields[2]));
    o.session_version = *version;
    auto type = parse_network(fields[3], fields[4]);
    if (!type) return tl::unexpected(std::move(type.error()));
    o.address_type = *type;
    // Informative only (RFC 4566 §5.2), and peers write anything from FQDNs
    // to "localhost" there: not validated beyond being one field.
    o.address = std::string(fields[5]);
    return o;
  }

  Result<AddressType> parse_network(std::string_view nettype, std::string_view addrtype) {
    if (!ascii::iequals(nettype, "IN")) {
      return fail_with(Errc::Unsupported, fmt::format("unsupported network type {}", quote(nettype)));
    }
    const auto type = address_type_from(addrtype);
    if (!type) return fail_with(Errc::Unsupported, fmt::format("unsupported address type {}", quote(addrtype)));
    return *type;
  }

  // c=IN <addrtype> <address>[/<ttl>][/<number of addresses>] (RFC 4566 §5.7)
  Result<Connection> parse_connection(std::string_view value) {
    const auto fields = split_fields(value);
    if (fields.size() != 3) return fail("expected \"IN <addrtype> <address>\", got {}", quote(value));
    auto type = parse_network(fields[0], fields[1]);
    if (!type) return tl::unexpected(std::move(type.error()));
    Connection c;
    c.address_type = *type;
    std::string_view rest = fields[2];
    const std::size_t slash = rest.find('/');
    const std::string_view address = rest.substr(0, slash);
    const bool literal =
        *type == AddressType::IP4 ? detail::is_ipv4_literal(address) : detail::is_ipv6_literal(address);
    if (!literal && !detail::is_hostname(address)) {
      return fail("invalid {} address {}", to_string(*type), quote(address));
    }
    c.address = std::string(address);
    if (slash == std::string_view::npos) return c;
    rest.remove_prefix(slash + 1);
    const std::size_t second = rest.find('/');
    const std::string_view first_number = rest.substr(0, second);
    if (*type == AddressType::IP4) {
      const auto ttl = parse_decimal(first_number, 255);
      if (!ttl) return fail("invalid multicast TTL {}", quote(first_number));
      c.ttl = static_cast<std::uint8_t>(*ttl);
      if (second == std::string_view::npos) return c;
      const std::string_view count = rest.substr(second + 1);
      const auto n = parse_decimal(count, std::numeric_limits<std::uint32_t>::max());
      if (!n || *n == 0) return fail("invalid number of addresses {}", quote(count));
      c.address_count = static_cast<std::uint32_t>(*n);
      return c;
    }
    // IP6 multicast has no TTL: the one number is the address count.
    if (second != std::string_view::npos) return fail("IP6 address takes no TTL: {}", quote(fields[2]));
    const auto n = parse_decimal(first_number, std::numeric_limits<std::uint32_t>::max());
    if (!n || *n == 0) return fail("invalid number of addresses {}", quote(first_number));
    c.address_count = static_cast<std::uint32_t>(*n);
    return c;
  }

  // b=<bwtype>:<bandwidth> (RFC 4566 §5.8)
  Result<Bandwidth> parse_bandwidth(std::string_view value) {
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) return fail("expected \"<bwtype>:<bandwidth>\", got {}", quote(value));
    const std::string_view type = value.substr(0, colon);
    const std::string_view number = detail::trim(value.substr(colon + 1));
    if (!is_token(type)) return fail("invalid bandwidth type {}", quote(type));
    const auto n = parse_decimal(number, kU64Max);
    if (!n) return fail("invalid bandwidth {}", quote(number));
    return Bandwidth{std::string(type), *n};
  }

  // a=<attribute> / a=<attribute>:<value> (RFC 4566 §5.13)
  Result<Attribute> parse_attribute(std::string_view value) {
    const std::size_t colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    if (!is_token(name)) return fail("invalid attribute name {}", quote(name));
    Attribute a{std::string(name), std::nullopt};
    if (colon != std::string_view::npos) a.value = std::string(value.substr(colon + 1));
    return a;
  }

  // m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 4566 §5.14)
  Step parse_media(std::string_view value) {
    if (sdp_.media.size() >= limits_.max_media) {
      return fail_with(Errc::LimitExceeded, fmt::format("more than {} media descriptions", limits_.max_media));
    }
    const auto fields = split_fields(value);
    if (fields.size() < 3) return fail("expected \"<media> <port> <proto> <fmt> ...\", got {}", quote(value));
    if (fields.size() - 3 > limits_.max_formats) {
      return fail_with(Errc::LimitExceeded, fmt::format("more than {} formats", limits_.max_formats));
    }
    MediaDescription m;
    if (!is_token(fields[0])) return fail("invalid media type {}", quote(fields[0]));
    m.media = std::string(fields[0]);
    const std::string_view port_field = fields[1];
    const std::size_t slash = port_field.find('/');
    const auto port = parse_decimal(port_field.substr(0, slash), 65535);
    if (!port) return fail("invalid port {}", quote(port_field));
    m.port = static_cast<std::uint16_t>(*port);
    if (slash != std::string_view::npos) {
      const auto count = parse_decimal(port_field.substr(slash + 1), 65535);
      if (!count || *count == 0) return fail("invalid number of ports {}", quote(port_field));
      m.port_count = static_cast<std::uint16_t>(*count);
    }
    if (!is_proto(fields[2])) return fail("invalid transport protocol {}", quote(fields[2]));
    m.proto = std::string(fields[2]);
    const bool rtp = is_rtp_protocol(m.proto);
    m.formats.reserve(fields.size() - 3);
    for (std::size_t i = 3; i < fields.size(); ++i) {
      // RTP formats are payload type numbers 0..127 (RFC 4566 §5.14, RFC 3550 §5.1).
      if (rtp ? !parse_decimal(fields[i], 127) : !is_token(fields[i])) {
        return fail("invalid format {}", quote(fields[i]));
      }
      m.formats.emplace_back(fields[i]);
    }
    sdp_.media.push_back(std::move(m));
    return {};
  }

  std::string_view text_;
  const ParseLimits& limits_;
  SessionDescription sdp_;
  std::size_t line_number_ = 0;
  char type_ = '?';
  bool seen_version_ = false;
  bool seen_origin_ = false;
  bool seen_name_ = false;
};

}  // namespace

Result<SessionDescription> parse_sdp(std::string_view text, const ParseLimits& limits) {
  return Parser(text, limits).run();
}

}  // namespace voxgate::sdp
