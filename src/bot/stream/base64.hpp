#pragma once
// Base64 (RFC 4648 §4) for audio carried in JSON (Twilio's media payload),
// over OpenSSL's EVP block coder.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace voxgate::bot {

std::string base64_encode(std::span<const std::uint8_t> bytes);
// InvalidArgument for text that is not padded base64.
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace voxgate::bot
