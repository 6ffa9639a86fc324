#pragma once
// SlotMap<T>: owned objects addressed by a 64-bit handle (generation << 32 |
// slot index). Lookup is an index and a compare, no hashing; a handle whose
// object is gone (or whose slot was reused) finds nothing. Objects sit
// behind unique_ptr, so their addresses stay put while the map grows, which
// the transaction layer relies on: its key maps hold views into them.
//
// Generations stay below 2^31, so bit 63 of a handle is always clear
// (TransactionRef uses it for the side).

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace voxgate::sip::detail {

template <class T>
class SlotMap {
 public:
  // Stores `value`; returns its handle (never 0).
  std::uint64_t insert(std::unique_ptr<T> value) {
    std::uint32_t index = 0;
    if (free_.empty()) {
      index = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      index = free_.back();
      free_.pop_back();
    }
    Slot& slot = slots_[index];
    slot.value = std::move(value);
    ++size_;
    return (static_cast<std::uint64_t>(slot.generation) << 32U) | index;
  }

  [[nodiscard]] T* find(std::uint64_t handle) const noexcept {
    const auto index = static_cast<std::uint32_t>(handle & 0xFFFFFFFFU);
    const auto generation = static_cast<std::uint32_t>(handle >> 32U);
    if (index >= slots_.size()) return nullptr;
    const Slot& slot = slots_[index];
    return slot.generation == generation ? slot.value.get() : nullptr;
  }

  // Removes the object and hands it over; nullptr when the handle finds nothing.
  std::unique_ptr<T> take(std::uint64_t handle) {
    if (find(handle) == nullptr) return nullptr;
    const auto index = static_cast<std::uint32_t>(handle & 0xFFFFFFFFU);
    Slot& slot = slots_[index];
    std::unique_ptr<T> value = std::move(slot.value);
    slot.generation = slot.generation >= kMaxGeneration ? 1 : slot.generation + 1;
    free_.push_back(index);
    --size_;
    return value;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  // Handles of every object, for walks that may remove as they go.
  [[nodiscard]] std::vector<std::uint64_t> handles() const {
    std::vector<std::uint64_t> out;
    out.reserve(size_);
    for (std::uint32_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].value) out.push_back((static_cast<std::uint64_t>(slots_[i].generation) << 32U) | i);
    }
    return out;
  }

 private:
  static constexpr std::uint32_t kMaxGeneration = 0x7FFFFFFFU;
  struct Slot {
    std::uint32_t generation = 1;
    std::unique_ptr<T> value;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t size_ = 0;
};

}  // namespace voxgate::sip::detail
