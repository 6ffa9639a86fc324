#include "bot/stream/base64.hpp"

#include <openssl/evp.h>

namespace voxgate::bot {

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + EVP's terminating NUL
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return make_error(Errc::InvalidArgument, "base64 of {} characters: not a multiple of 4", text.size());
  }
  std::vector<std::uint8_t> out(3 * (text.size() / 4));
  const int written =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0) return make_error(Errc::InvalidArgument, "not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  auto size = static_cast<std::size_t>(written);
  if (!text.empty() && text.back() == '=') --size;
  if (text.size() > 1 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

}  // namespace voxgate::bot
