#pragma once
// What names a dialog (RFC 3261 §12): the Call-ID and the two tags, seen
// from our side. A UAS's local tag is the To tag of the request it received;
// a UAC's local tag is the From tag of the request it sent. A dialog set
// (§13.2.2.4: the dialogs one INVITE may create through forking) shares the
// Call-ID and the local tag.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "base/result.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

struct DialogSetId {
  std::string call_id;
  std::string local_tag;

  friend bool operator==(const DialogSetId&, const DialogSetId&) = default;
};

// Call-IDs and tags compare byte for byte (§20.8; tags are opaque tokens).
struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;  // empty for an RFC 2543 peer that sent no tag

  [[nodiscard]] DialogSetId set_id() const { return DialogSetId{call_id, local_tag}; }

  friend bool operator==(const DialogId&, const DialogId&) = default;
};

// The dialog a request received from the peer belongs to, as the UAS sees
// it (§12.2.2): local tag = To tag, remote tag = From tag. An error when the
// headers are malformed; an empty local tag means "no dialog" (§8.2.6).
Result<DialogId> dialog_id_of_request(const Message& request);

// The dialog a response to our request belongs to, as the UAC sees it
// (§12.1.2): local tag = From tag, remote tag = To tag.
Result<DialogId> dialog_id_of_response(const Message& response);

}  // namespace voxgate::sip

namespace voxgate::sip::detail {
// Combines the hashes of the parts; the mix constant is boost::hash_combine's.
inline std::size_t hash_combine(std::size_t seed, std::size_t value) noexcept {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U));
}
}  // namespace voxgate::sip::detail

template <>
struct std::hash<voxgate::sip::DialogSetId> {
  std::size_t operator()(const voxgate::sip::DialogSetId& id) const noexcept {
    const std::hash<std::string_view> h;
    return voxgate::sip::detail::hash_combine(h(id.call_id), h(id.local_tag));
  }
};

template <>
struct std::hash<voxgate::sip::DialogId> {
  std::size_t operator()(const voxgate::sip::DialogId& id) const noexcept {
    const std::hash<std::string_view> h;
    return voxgate::sip::detail::hash_combine(voxgate::sip::detail::hash_combine(h(id.call_id), h(id.local_tag)),
                                              h(id.remote_tag));
  }
};

template <>
struct fmt::formatter<voxgate::sip::DialogId> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const voxgate::sip::DialogId& id, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "{};local={};remote={}", id.call_id, id.local_tag, id.remote_tag);
  }
};
