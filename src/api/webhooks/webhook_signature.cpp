#include "api/webhooks/webhook_signature.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/ascii.hpp"

namespace voxgate::api {

namespace {

constexpr std::size_t kSha256Bytes = 32;

std::string to_lower_hex(const unsigned char* bytes, std::size_t size) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4U]);
    out.push_back(kDigits[bytes[i] & 0x0fU]);
  }
  return out;
}

std::string_view trim_spaces(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // The length is public (always 64 hex digits when well-formed); only the
  // content must not leak through timing.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct SignatureEntries {
  std::int64_t timestamp = 0;
  std::vector<std::string_view> signatures;  // the v1 values
};

// "t=<digits>,v1=<hex>[,v1=<hex>...]", entries in any order, spaces around
// them allowed, unknown keys ignored.
Result<SignatureEntries> parse_signature_header(std::string_view header_value) {
  SignatureEntries entries;
  std::optional<std::string_view> timestamp_text;
  while (!header_value.empty()) {
    const auto comma = header_value.find(',');
    const auto item = trim_spaces(header_value.substr(0, comma));
    header_value = comma == std::string_view::npos ? std::string_view{} : header_value.substr(comma + 1);
    if (item.empty()) continue;
    const auto equals = item.find('=');
    if (equals == std::string_view::npos) {
      return make_error(Errc::InvalidArgument, "{}: '{}' is not a key=value entry", kWebhookSignatureHeader, item);
    }
    const auto key = item.substr(0, equals);
    const auto value = item.substr(equals + 1);
    if (key == "t") {
      if (timestamp_text) return make_error(Errc::InvalidArgument, "{}: more than one t=", kWebhookSignatureHeader);
      timestamp_text = value;
    } else if (key == "v1") {
      entries.signatures.push_back(value);
    }
  }
  if (!timestamp_text || entries.signatures.empty()) {
    return make_error(Errc::InvalidArgument, "{}: needs t= and v1=", kWebhookSignatureHeader);
  }
  const auto text = *timestamp_text;
  const auto* end = text.data() + text.size();
  const auto [parsed_end, ec] = std::from_chars(text.data(), end, entries.timestamp);
  if (text.empty() || !std::all_of(text.begin(), text.end(), ascii::is_digit) || ec != std::errc{} ||
      parsed_end != end) {
    return make_error(Errc::InvalidArgument, "{}: t= is not a Unix time", kWebhookSignatureHeader);
  }
  return entries;
}

}  // namespace

std::string webhook_signature_hex(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
  std::string signed_payload = std::to_string(unix_seconds);
  signed_payload.push_back('.');
  signed_payload.append(body);

  if (secret.size() > static_cast<std::size_t>(INT_MAX)) throw std::length_error("webhook secret too long");
  // OpenSSL reads a null key as "no key given"; an empty secret is an empty key.
  static constexpr unsigned char kNoKeyBytes = 0;
  const void* key = secret.empty() ? static_cast<const void*>(&kNoKeyBytes) : secret.data();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  const auto* payload = reinterpret_cast<const unsigned char*>(signed_payload.data());  // NOLINT: bytes for OpenSSL
  if (HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), payload, signed_payload.size(), digest.data(),
           &digest_size) == nullptr ||
      digest_size != kSha256Bytes) {
    // Only a broken OpenSSL installation gets here.
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return to_lower_hex(digest.data(), digest_size);
}

std::string webhook_signature_header(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
  return fmt::format("t={},v1={}", unix_seconds, webhook_signature_hex(secret, unix_seconds, body));
}

std::int64_t unix_seconds(Clock::WallTime time) noexcept {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

Result<void> verify_webhook_signature(std::string_view header_value, std::string_view body, std::string_view secret,
                                      Clock::WallTime now, std::chrono::seconds tolerance) {
  auto entries = parse_signature_header(header_value);
  if (!entries) return tl::unexpected(entries.error());

  const auto age = unix_seconds(now) - entries->timestamp;
  if (age > tolerance.count() || -age > tolerance.count()) {
    return make_error(Errc::InvalidArgument, "{}: timestamp {} is {} s from now, beyond the tolerance of {} s",
                      kWebhookSignatureHeader, entries->timestamp, age, tolerance.count());
  }
  const auto expected = webhook_signature_hex(secret, entries->timestamp, body);
  bool matched = false;
  // Every entry is compared, so the time taken does not tell which matched.
  for (const auto signature : entries->signatures) matched = constant_time_equal(signature, expected) || matched;
  if (!matched) return make_error(Errc::InvalidArgument, "{}: signature does not match", kWebhookSignatureHeader);
  return {};
}

}  // namespace voxgate::api
