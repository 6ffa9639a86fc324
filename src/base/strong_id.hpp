#pragma once
// StrongId<Tag, Rep>: an identifier that cannot be mixed up with another kind
// of identifier or with a plain integer/string. Declare one per kind:
//
//   using SessionId = StrongId<struct SessionIdTag>;
//   using CallId    = StrongId<struct CallIdTag, std::string>;

#include <compare>
#include <cstdint>
#include <functional>
#include <utility>

#include <fmt/format.h>

namespace voxgate {

template <class Tag, class Rep = std::uint64_t>
class StrongId {
 public:
  using rep_type = Rep;

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(std::move(value)) {}

  [[nodiscard]] constexpr const Rep& value() const noexcept { return value_; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend constexpr auto operator<=>(const StrongId&, const StrongId&) = default;
  friend constexpr bool operator==(const StrongId&, const StrongId&) = default;

 private:
  Rep value_{};
};

}  // namespace voxgate

template <class Tag, class Rep>
struct std::hash<voxgate::StrongId<Tag, Rep>> {
  std::size_t operator()(const voxgate::StrongId<Tag, Rep>& id) const noexcept { return std::hash<Rep>{}(id.value()); }
};

template <class Tag, class Rep>
struct fmt::formatter<voxgate::StrongId<Tag, Rep>> : fmt::formatter<Rep> {
  template <class Ctx>
  auto format(const voxgate::StrongId<Tag, Rep>& id, Ctx& ctx) const {
    return fmt::formatter<Rep>::format(id.value(), ctx);
  }
};
