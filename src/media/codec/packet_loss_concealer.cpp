#include "media/codec/packet_loss_concealer.hpp"

#include <spandsp.h>

namespace voxgate::media {

struct PacketLossConcealer::State {
  plc_state_t plc{};
};

PacketLossConcealer::PacketLossConcealer() : state_(std::make_unique<State>()) {
  plc_init(&state_->plc);
}

PacketLossConcealer::PacketLossConcealer(PacketLossConcealer&&) noexcept = default;
PacketLossConcealer& PacketLossConcealer::operator=(PacketLossConcealer&&) noexcept = default;
PacketLossConcealer::~PacketLossConcealer() = default;

void PacketLossConcealer::on_good_frame(std::span<std::int16_t> frame) noexcept {
  plc_rx(&state_->plc, frame.data(), static_cast<int>(frame.size()));
}

void PacketLossConcealer::conceal(std::span<std::int16_t> frame) noexcept {
  plc_fillin(&state_->plc, frame.data(), static_cast<int>(frame.size()));
}

}  // namespace voxgate::media
