#include "sdp/session_id_source.hpp"

namespace voxgate::sdp {

namespace {

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

}  // namespace

RandomSessionIdSource::RandomSessionIdSource() : engine_(random_seed()) {}

RandomSessionIdSource::RandomSessionIdSource(std::uint64_t seed) : engine_(seed) {}

std::uint64_t RandomSessionIdSource::next_session_id() {
  const std::uint64_t id = engine_() >> 2U;
  return id == 0 ? 1 : id;
}

}  // namespace voxgate::sdp
