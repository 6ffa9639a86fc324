// libFuzzer target: parse_uri on arbitrary text, parsed in place (the views of
// a Uri point into libFuzzer's exactly sized copy of the input, so ASan sees
// any read past the text).
//
// Invariants: every URI is equivalent to itself and to a re-parse of its own
// text; every part unescapes without crashing, to at most its own length;
// classify_host() of the host agrees with host_kind; only sip/sips URIs have
// a host and headers, only other schemes have opaque text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_touch.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip::fuzz {
namespace {

void check_unescape(std::string_view part) {
  const std::string plain = unescape(part);
  FUZZ_CHECK(plain.size() <= part.size());
  touch(plain);
}

void run(std::string_view input) {
  const auto parsed = parse_uri(input);
  if (!parsed) {
    touch(parsed.error().reason);
    return;
  }
  const Uri& uri = *parsed;
  FUZZ_CHECK(uri.text == input);
  FUZZ_CHECK(uri_equivalent(uri, uri));

  check_unescape(uri.scheme_name);
  check_unescape(uri.user);
  check_unescape(uri.password);
  check_unescape(uri.host);
  check_unescape(uri.headers);
  check_unescape(uri.opaque);
  for (const Param& p : uri.params) {
    check_unescape(p.name);
    check_unescape(p.value);
  }

  FUZZ_CHECK(classify_host(uri.host) == uri.host_kind);
  if (uri.is_sip()) {
    FUZZ_CHECK(uri.host_kind != HostKind::None);
    FUZZ_CHECK(uri.opaque.empty());
    const std::string_view address = uri.host_address();
    if (uri.host_kind == HostKind::IPv6) {
      FUZZ_CHECK(is_ipv6_address(address));
    } else if (uri.host_kind == HostKind::IPv4) {
      FUZZ_CHECK(is_ipv4_address(address));
    }
  } else {
    FUZZ_CHECK(uri.host.empty() && uri.host_kind == HostKind::None);
    FUZZ_CHECK(uri.headers.empty());
  }
  touch(uri);

  // The same text parsed from another buffer is an equivalent URI.
  const std::string copy(input);
  const auto again = parse_uri(copy);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(uri_equivalent(uri, *again) && uri_equivalent(*again, uri));
}

}  // namespace
}  // namespace voxgate::sip::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sip::fuzz::run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
