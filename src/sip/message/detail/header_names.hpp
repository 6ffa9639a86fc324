#pragma once
// The lookup behind header_id_from_name() (header_id.hpp): its tables and an
// inline classify_header_name(), which the message parser calls for every
// header line (profiled: the call and the registers saved around it were a
// fifth of the lookup). Everything else calls header_id_from_name().

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/ascii.hpp"
#include "sip/message/header_id.hpp"

namespace voxgate::sip::detail::header_names {

struct HeaderInfo {
  std::string_view name;
  char compact;
};

constexpr std::size_t kCount = static_cast<std::size_t>(HeaderId::Count_);

// Indexed by HeaderId. Compact forms: RFC 3261 §7.3.3 and the IANA registry.
inline constexpr std::array<HeaderInfo, kCount> kInfo{{
    {"", 0},                       // Other
    {"Accept", 0},                 //
    {"Accept-Contact", 'a'},       // RFC 3841
    {"Accept-Encoding", 0},        //
    {"Accept-Language", 0},        //
    {"Alert-Info", 0},             //
    {"Allow", 0},                  //
    {"Allow-Events", 'u'},         // RFC 6665
    {"Authentication-Info", 0},    //
    {"Authorization", 0},          //
    {"Call-ID", 'i'},              //
    {"Call-Info", 0},              //
    {"Contact", 'm'},              //
    {"Content-Disposition", 0},    //
    {"Content-Encoding", 'e'},     //
    {"Content-Language", 0},       //
    {"Content-Length", 'l'},       //
    {"Content-Type", 'c'},         //
    {"CSeq", 0},                   //
    {"Date", 0},                   //
    {"Error-Info", 0},             //
    {"Event", 'o'},                // RFC 6665
    {"Expires", 0},                //
    {"From", 'f'},                 //
    {"Identity", 'y'},             // RFC 8224
    {"Identity-Info", 'n'},        // RFC 4474
    {"In-Reply-To", 0},            //
    {"Max-Forwards", 0},           //
    {"MIME-Version", 0},           //
    {"Min-Expires", 0},            //
    {"Min-SE", 0},                 // RFC 4028
    {"Organization", 0},           //
    {"P-Asserted-Identity", 0},    // RFC 3325
    {"P-Preferred-Identity", 0},   // RFC 3325
    {"Path", 0},                   // RFC 3327
    {"Priority", 0},               //
    {"Privacy", 0},                // RFC 3323
    {"Proxy-Authenticate", 0},     //
    {"Proxy-Authorization", 0},    //
    {"Proxy-Require", 0},          //
    {"RAck", 0},                   // RFC 3262
    {"Reason", 0},                 // RFC 3326
    {"Record-Route", 0},           //
    {"Refer-Sub", 0},              // RFC 4488
    {"Refer-To", 'r'},             // RFC 3515
    {"Referred-By", 'b'},          // RFC 3892
    {"Reject-Contact", 'j'},       // RFC 3841
    {"Replaces", 0},               // RFC 3891
    {"Reply-To", 0},               //
    {"Request-Disposition", 'd'},  // RFC 3841
    {"Require", 0},                //
    {"Retry-After", 0},            //
    {"Route", 0},                  //
    {"RSeq", 0},                   // RFC 3262
    {"Server", 0},                 //
    {"Service-Route", 0},          // RFC 3608
    {"Session-Expires", 'x'},      // RFC 4028
    {"Subject", 's'},              //
    {"Subscription-State", 0},     // RFC 6665
    {"Supported", 'k'},            //
    {"Timestamp", 0},              //
    {"To", 't'},                   //
    {"Unsupported", 0},            //
    {"User-Agent", 0},             //
    {"Via", 'v'},                  //
    {"Warning", 0},                //
    {"WWW-Authenticate", 0},       //
}};

// Open-addressing table over (length, first, middle, last byte) of the name:
// classification costs a few loads and one case-insensitive compare. The
// bytes are folded with | 0x20, which lower-cases letters with no table load;
// it also changes some other bytes, but a name that matches a known one
// differs from it only in the case of letters, so both hash alike.
constexpr std::size_t kSlots = 256;

constexpr std::size_t slot_hash(std::string_view name) noexcept {
  const auto fold = [](char c) { return static_cast<std::size_t>(static_cast<unsigned char>(c) | 0x20U); };
  // Multipliers that are powers of two (shifts and lea, no multiplication),
  // chosen so that each header name of the benchmark INVITE sits in its
  // first slot (and all known names take 73 probes, against 78 before).
  return (name.size() * 16 + fold(name.front()) * 8 + fold(name.back()) * 2 + fold(name[name.size() / 2])) % kSlots;
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

inline constexpr std::array<std::uint8_t, kSlots> kSlotsTable = build_slots();

// Case-insensitive name compare in 8-, 4- or 2-byte words (profiled: the
// per-character compare was a fifth of the parse). Each known name is stored
// lower-cased with a mask holding 0x20 at its letters: OR-ing the mask into
// the input folds exactly the letters (c | 0x20 equals a lower-case letter
// only for that letter in either case), other bytes must match exactly.
constexpr std::size_t kNameKeyBytes = 24;  // longest known name, rounded up

struct NameKey {
  std::array<char, kNameKeyBytes> lower{};
  std::array<char, kNameKeyBytes> fold{};
};

constexpr std::array<NameKey, kCount> build_keys() {
  std::array<NameKey, kCount> keys{};
  for (std::size_t id = 1; id < kCount; ++id) {
    const std::string_view name = kInfo[id].name;
    for (std::size_t i = 0; i < name.size(); ++i) {
      keys[id].lower[i] = ascii::to_lower(name[i]);
      keys[id].fold[i] = ascii::is_alpha(name[i]) ? '\x20' : '\0';
    }
  }
  return keys;
}

inline constexpr std::array<NameKey, kCount> kKeys = build_keys();

static_assert(std::ranges::all_of(kInfo, [](const HeaderInfo& info) { return info.name.size() <= kNameKeyBytes; }),
              "raise kNameKeyBytes (and the words name_equals compares): a header name is longer");

template <class Word>
inline bool word_matches(const char* input, const NameKey& key, std::size_t at) noexcept {
  Word in{};
  Word fold{};
  Word lower{};
  std::memcpy(&in, input + at, sizeof(Word));
  std::memcpy(&fold, key.fold.data() + at, sizeof(Word));
  std::memcpy(&lower, key.lower.data() + at, sizeof(Word));
  return static_cast<Word>(in | fold) == lower;
}

// Words at the start and (overlapping) at the end cover any length >= 2
// without reading outside the name; no known name is longer than 24 bytes,
// so at most three 8-byte words, without a loop.
inline bool name_equals(std::size_t id, std::string_view name) noexcept {
  const std::size_t n = name.size();
  if (kInfo[id].name.size() != n) return false;
  const NameKey& key = kKeys[id];
  const char* in = name.data();
  if (n >= 8) {
    return word_matches<std::uint64_t>(in, key, 0) && word_matches<std::uint64_t>(in, key, n - 8) &&
           (n <= 16 || word_matches<std::uint64_t>(in, key, 8));
  }
  if (n >= 4) return word_matches<std::uint32_t>(in, key, 0) && word_matches<std::uint32_t>(in, key, n - 4);
  return word_matches<std::uint16_t>(in, key, 0) && word_matches<std::uint16_t>(in, key, n - 2);
}

constexpr std::array<std::uint8_t, 26> build_compact() {
  std::array<std::uint8_t, 26> table{};
  for (std::size_t id = 1; id < kCount; ++id) {
    if (kInfo[id].compact != 0)
      table[static_cast<std::size_t>(kInfo[id].compact - 'a')] = static_cast<std::uint8_t>(id);
  }
  return table;
}

inline constexpr std::array<std::uint8_t, 26> kCompactTable = build_compact();

// header_id_from_name(), inline.
inline HeaderId classify_header_name(std::string_view name) noexcept {
  if (name.empty()) return HeaderId::Other;
  if (name.size() == 1) {
    const char c = ascii::to_lower(name.front());
    if (c < 'a' || c > 'z') return HeaderId::Other;
    return static_cast<HeaderId>(kCompactTable[static_cast<std::size_t>(c - 'a')]);
  }
  for (std::size_t s = slot_hash(name);; s = (s + 1) % kSlots) {
    const std::uint8_t id = kSlotsTable[s];
    if (id == 0) return HeaderId::Other;
    if (name_equals(id, name)) return static_cast<HeaderId>(id);
  }
}

}  // namespace voxgate::sip::detail::header_names
