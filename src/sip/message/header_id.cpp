#include "sip/message/header_id.hpp"

#include <array>

#include "base/ascii.hpp"

namespace voxgate::sip {

namespace {

struct HeaderInfo {
  std::string_view name;
  char compact;
  bool list;
};

constexpr std::size_t kCount = static_cast<std::size_t>(HeaderId::Count_);

// Indexed by HeaderId. Compact forms: RFC 3261 §7.3.3 and the IANA registry.
constexpr std::array<HeaderInfo, kCount> kInfo{{
    {"", 0, false},                      // Other
    {"Accept", 0, true},                 //
    {"Accept-Contact", 'a', true},       // RFC 3841
    {"Accept-Encoding", 0, true},        //
    {"Accept-Language", 0, true},        //
    {"Alert-Info", 0, true},             //
    {"Allow", 0, true},                  //
    {"Allow-Events", 'u', true},         // RFC 6665
    {"Authentication-Info", 0, false},   //
    {"Authorization", 0, false},         //
    {"Call-ID", 'i', false},             //
    {"Call-Info", 0, true},              //
    {"Contact", 'm', true},              //
    {"Content-Disposition", 0, false},   //
    {"Content-Encoding", 'e', true},     //
    {"Content-Language", 0, true},       //
    {"Content-Length", 'l', false},      //
    {"Content-Type", 'c', false},        //
    {"CSeq", 0, false},                  //
    {"Date", 0, false},                  //
    {"Error-Info", 0, true},             //
    {"Event", 'o', false},               // RFC 6665
    {"Expires", 0, false},               //
    {"From", 'f', false},                //
    {"Identity", 'y', false},            // RFC 8224
    {"Identity-Info", 'n', false},       // RFC 4474
    {"In-Reply-To", 0, true},            //
    {"Max-Forwards", 0, false},          //
    {"MIME-Version", 0, false},          //
    {"Min-Expires", 0, false},           //
    {"Min-SE", 0, false},                // RFC 4028
    {"Organization", 0, false},          //
    {"P-Asserted-Identity", 0, true},    // RFC 3325
    {"P-Preferred-Identity", 0, true},   // RFC 3325
    {"Path", 0, true},                   // RFC 3327
    {"Priority", 0, false},              //
    {"Privacy", 0, false},               // RFC 3323
    {"Proxy-Authenticate", 0, false},    //
    {"Proxy-Authorization", 0, false},   //
    {"Proxy-Require", 0, true},          //
    {"RAck", 0, false},                  // RFC 3262
    {"Reason", 0, true},                 // RFC 3326
    {"Record-Route", 0, true},           //
    {"Refer-Sub", 0, false},             // RFC 4488
    {"Refer-To", 'r', false},            // RFC 3515
    {"Referred-By", 'b', false},         // RFC 3892
    {"Reject-Contact", 'j', true},       // RFC 3841
    {"Replaces", 0, false},              // RFC 3891
    {"Reply-To", 0, false},              //
    {"Request-Disposition", 'd', true},  // RFC 3841
    {"Require", 0, true},                //
    {"Retry-After", 0, false},           //
    {"Route", 0, true},                  //
    {"RSeq", 0, false},                  // RFC 3262
    {"Server", 0, false},                //
    {"Service-Route", 0, true},          // RFC 3608
    {"Session-Expires", 'x', false},     // RFC 4028
    {"Subject", 's', false},             //
    {"Subscription-State", 0, false},    // RFC 6665
    {"Supported", 'k', true},            //
    {"Timestamp", 0, false},             //
    {"To", 't', false},                  //
    {"Unsupported", 0, true},            //
    {"User-Agent", 0, false},            //
    {"Via", 'v', true},                  //
    {"Warning", 0, true},                //
    {"WWW-Authenticate", 0, false},      //
}};

// Open-addressing table over (length, first, last) of the lower-cased name:
// classification costs a few loads and one case-insensitive compare.
constexpr std::size_t kSlots = 256;

constexpr std::size_t slot_hash(std::string_view lower_name) noexcept {
  const auto first = static_cast<unsigned char>(ascii::to_lower(lower_name.front()));
  const auto last = static_cast<unsigned char>(ascii::to_lower(lower_name.back()));
  const auto mid = static_cast<unsigned char>(ascii::to_lower(lower_name[lower_name.size() / 2]));
  return (lower_name.size() * 131 + first * 31 + mid * 7 + last) % kSlots;
}

constexpr std::array<std::uint8_t, kSlots> build_slots() {
  std::array<std::uint8_t, kSlots> slots{};  // 0 = empty (HeaderId::Other)
  for (std::size_t id = 1; id < kCount; ++id) {
    std::size_t s = slot_hash(kInfo[id].name);
    while (slots[s] != 0) s = (s + 1) % kSlots;
    slots[s] = static_cast<std::uint8_t>(id);
  }
  return slots;
}

constexpr std::array<std::uint8_t, kSlots> kSlotsTable = build_slots();

constexpr std::array<std::uint8_t, 26> build_compact() {
  std::array<std::uint8_t, 26> table{};
  for (std::size_t id = 1; id < kCount; ++id) {
    if (kInfo[id].compact != 0)
      table[static_cast<std::size_t>(kInfo[id].compact - 'a')] = static_cast<std::uint8_t>(id);
  }
  return table;
}

constexpr std::array<std::uint8_t, 26> kCompactTable = build_compact();

}  // namespace

HeaderId header_id_from_name(std::string_view name) noexcept {
  if (name.empty()) return HeaderId::Other;
  if (name.size() == 1) {
    const char c = ascii::to_lower(name.front());
    if (c < 'a' || c > 'z') return HeaderId::Other;
    return static_cast<HeaderId>(kCompactTable[static_cast<std::size_t>(c - 'a')]);
  }
  for (std::size_t s = slot_hash(name);; s = (s + 1) % kSlots) {
    const std::uint8_t id = kSlotsTable[s];
    if (id == 0) return HeaderId::Other;
    // Exact match first (performance): peers mostly write the canonical
    // spelling, and a byte compare is far cheaper than a case-folding one.
    if (kInfo[id].name == name || ascii::iequals(kInfo[id].name, name)) return static_cast<HeaderId>(id);
  }
}

std::string_view canonical_name(HeaderId id) noexcept {
  return kInfo[static_cast<std::size_t>(id)].name;
}

char compact_form(HeaderId id) noexcept {
  return kInfo[static_cast<std::size_t>(id)].compact;
}

bool is_list_header(HeaderId id) noexcept {
  return kInfo[static_cast<std::size_t>(id)].list;
}

}  // namespace voxgate::sip
