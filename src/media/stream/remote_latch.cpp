#include "media/stream/remote_latch.hpp"

namespace voxgate::media {

RemoteLatch::Verdict RemoteLatch::on_packet(const Endpoint& source, Clock::TimePoint now) noexcept {
  if (latched_ && source == destination_) {
    last_from_latched_ = now;
    return Verdict::FromLatched;
  }
  if (latched_ && now - last_from_latched_ < relatch_after_) return Verdict::Refused;
  const Verdict verdict = latched_ ? Verdict::Relatched : Verdict::Latched;
  destination_ = source;
  latched_ = true;
  last_from_latched_ = now;
  return verdict;
}

void RemoteLatch::reset(const Endpoint& signalled) noexcept {
  destination_ = signalled;
  latched_ = false;
}

bool RemoteLatch::has_destination() const noexcept {
  return destination_.port() != 0 && !destination_.address().is_unspecified();
}

}  // namespace voxgate::media
