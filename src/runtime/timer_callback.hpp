#pragma once
// TimerCallback: the work a timer runs when it fires. A move-only `void()`
// callable that keeps small callables (up to kInlineSize bytes: a few
// pointers and ids, which is what every SIP timer captures) inside itself,
// so scheduling a timer does not allocate. Larger callables go to the heap.
//
// std::function would do, but it allocates for anything over two pointers in
// libstdc++, and the transaction layer schedules ~100k timers per second at
// 10,000 calls per second (docs/ARCHITECTURE.md, "Threading").

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace voxgate::runtime {

class TimerCallback {
 public:
  static constexpr std::size_t kInlineSize = 48;

  TimerCallback() noexcept = default;

  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, TimerCallback> && std::is_invocable_r_v<void, std::decay_t<F>&>)
      // NOLINTNEXTLINE(bugprone-forwarding-reference-overload): constrained away from TimerCallback itself
      TimerCallback(F&& fn) {  // NOLINT(google-explicit-constructor): a callable converts, as to std::function
    using Fn = std::decay_t<F>;
    if constexpr (fits_inline<Fn>()) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(fn));
      ops_ = &kInlineOps<Fn>;
    } else {
      ::new (static_cast<void*>(storage_)) Fn*(new Fn(std::forward<F>(fn)));
      ops_ = &kHeapOps<Fn>;
    }
  }

  TimerCallback(TimerCallback&& other) noexcept { take(other); }
  TimerCallback& operator=(TimerCallback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  TimerCallback(const TimerCallback&) = delete;
  TimerCallback& operator=(const TimerCallback&) = delete;
  ~TimerCallback() { reset(); }

  [[nodiscard]] explicit operator bool() const noexcept { return ops_ != nullptr; }
  // True when the callable lives inside this object (no heap allocation).
  [[nodiscard]] bool is_inline() const noexcept { return ops_ != nullptr && ops_->inline_storage; }

  // Runs the callable; an empty callback does nothing.
  void operator()() {
    if (ops_ != nullptr) ops_->invoke(storage_);
  }

  void reset() noexcept {
    if (ops_ != nullptr) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    void (*invoke)(void* storage);
    void (*relocate)(void* to, void* from) noexcept;  // move-construct at `to`, destroy `from`
    void (*destroy)(void* storage) noexcept;
    bool inline_storage;
  };

  template <class Fn>
  static constexpr bool fits_inline() {
    // NOLINTNEXTLINE(misc-redundant-expression): each operand is a constant of the instantiation
    return sizeof(Fn) <= kInlineSize && alignof(Fn) <= alignof(std::max_align_t) &&
           std::is_nothrow_move_constructible_v<Fn>;
  }

  template <class Fn>
  static Fn* inline_target(void* storage) noexcept {
    return std::launder(static_cast<Fn*>(storage));
  }
  template <class Fn>
  static Fn*& heap_target(void* storage) noexcept {
    return *std::launder(static_cast<Fn**>(storage));
  }

  template <class Fn>
  static constexpr Ops kInlineOps{
      [](void* s) { (*inline_target<Fn>(s))(); },
      [](void* to, void* from) noexcept {
        ::new (to) Fn(std::move(*inline_target<Fn>(from)));
        inline_target<Fn>(from)->~Fn();
      },
      [](void* s) noexcept { inline_target<Fn>(s)->~Fn(); },
      true,
  };

  template <class Fn>
  static constexpr Ops kHeapOps{
      [](void* s) { (*heap_target<Fn>(s))(); },
      [](void* to, void* from) noexcept { ::new (to) Fn*(heap_target<Fn>(from)); },
      [](void* s) noexcept { delete heap_target<Fn>(s); },
      false,
  };

  void take(TimerCallback& other) noexcept {
    if (other.ops_ == nullptr) return;
    other.ops_->relocate(storage_, other.storage_);
    ops_ = std::exchange(other.ops_, nullptr);
  }

  alignas(std::max_align_t) unsigned char storage_[kInlineSize];
  const Ops* ops_ = nullptr;
};

}  // namespace voxgate::runtime
