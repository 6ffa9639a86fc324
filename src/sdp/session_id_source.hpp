#pragma once
// Where the o= session id of a new offer/answer session comes from (RFC 4566
// §5.2: "a numeric string such that the tuple ... forms a globally unique
// identifier"). Injected rather than drawn from a global generator, so tests
// get fixed ids and nothing shares mutable state.

#include <cstdint>
#include <random>

namespace voxgate::sdp {

class SessionIdSource {
 public:
  SessionIdSource() = default;
  SessionIdSource(const SessionIdSource&) = delete;
  SessionIdSource& operator=(const SessionIdSource&) = delete;
  virtual ~SessionIdSource() = default;

  [[nodiscard]] virtual std::uint64_t next_session_id() = 0;
};

// Ids in [1, 2^62): random, yet far from overflowing the int64 some peers
// parse o= numbers into, even after the version is incremented from it. One
// per event loop (not thread-safe).
class RandomSessionIdSource final : public SessionIdSource {
 public:
  RandomSessionIdSource();  // seeded from std::random_device
  explicit RandomSessionIdSource(std::uint64_t seed);

  [[nodiscard]] std::uint64_t next_session_id() override;

 private:
  std::mt19937_64 engine_;
};

}  // namespace voxgate::sdp
