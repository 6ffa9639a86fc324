#include "media/dtmf/telephone_event.hpp"

#include <algorithm>

namespace voxgate::media {

namespace {

constexpr std::string_view kChars = "0123456789*#ABCD!";
constexpr int kEndRepeats = 3;  // RFC 4733 §2.5.1.4

}  // namespace

std::optional<DtmfEvent> dtmf_event_from_char(char digit) noexcept {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  const auto at = kChars.find(digit);
  if (at == std::string_view::npos || digit == '!') return std::nullopt;
  return DtmfEvent{static_cast<std::uint8_t>(at)};
}

char dtmf_char(DtmfEvent event) noexcept {
  return event.code < kChars.size() ? kChars[event.code] : '?';
}

std::optional<TelephoneEventPayload> parse_telephone_event(std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() < kTelephoneEventBytes) return std::nullopt;
  TelephoneEventPayload event;
  event.event.code = payload[0];
  event.end = (payload[1] & 0x80U) != 0;
  event.volume = payload[1] & 0x3fU;
  event.duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
  return event;
}

void write_telephone_event(const TelephoneEventPayload& event,
                           std::span<std::uint8_t, kTelephoneEventBytes> out) noexcept {
  out[0] = event.event.code;
  out[1] = static_cast<std::uint8_t>((event.end ? 0x80U : 0U) | (event.volume & 0x3fU));
  out[2] = static_cast<std::uint8_t>(event.duration >> 8);
  out[3] = static_cast<std::uint8_t>(event.duration);
}

std::optional<DtmfEvent> TelephoneEventReceiver::on_packet(std::uint32_t rtp_timestamp,
                                                           std::span<const std::uint8_t> payload) noexcept {
  const auto event = parse_telephone_event(payload);
  if (!event) return std::nullopt;
  if (have_last_ && rtp_timestamp == last_timestamp_) return std::nullopt;  // the same event again
  have_last_ = true;
  last_timestamp_ = rtp_timestamp;
  return event->event;
}

TelephoneEventSender::TelephoneEventSender(DtmfEvent event, std::uint16_t duration_samples,
                                           std::uint16_t tick_samples) noexcept
    : event_(event), total_(std::max(duration_samples, tick_samples)), tick_(tick_samples) {}

std::optional<TelephoneEventSender::Packet> TelephoneEventSender::next() noexcept {
  if (ends_sent_ == kEndRepeats) return std::nullopt;
  Packet packet;
  packet.payload.event = event_;
  packet.marker = elapsed_ == 0;
  elapsed_ = std::min<std::uint32_t>(elapsed_ + tick_, total_);
  packet.payload.duration = static_cast<std::uint16_t>(elapsed_);
  if (elapsed_ >= total_) {
    packet.payload.end = true;
    ++ends_sent_;
  }
  return packet;
}

}  // namespace voxgate::media
