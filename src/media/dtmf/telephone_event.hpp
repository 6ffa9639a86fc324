#pragma once
// DTMF over RTP as named telephone events (RFC 4733): the 4-byte payload,
// a receiver that reports each digit exactly once however many packets
// carry it (updates every 50 ms, the end packet sent three times, any of
// them possibly lost), and a sender that lays a digit out as the packets of
// successive 20-ms media ticks.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace voxgate::media {

// Events 0-16 of RFC 4733 §3.2: 0-9, *, #, A-D, flash.
struct DtmfEvent {
  std::uint8_t code = 0;
  friend bool operator==(const DtmfEvent&, const DtmfEvent&) = default;
};

// '0'-'9', '*', '#', 'A'-'D' (and 'a'-'d') to their event; nullopt otherwise.
std::optional<DtmfEvent> dtmf_event_from_char(char digit) noexcept;
// The character of event codes 0-15, '!' for flash (16), '?' beyond.
char dtmf_char(DtmfEvent event) noexcept;

// The payload (§2.3): event, E bit, volume (0 to -63 dBm0), duration in
// timestamp units since the event began.
struct TelephoneEventPayload {
  DtmfEvent event;
  bool end = false;
  std::uint8_t volume = 10;
  std::uint16_t duration = 0;
};

inline constexpr std::size_t kTelephoneEventBytes = 4;

// Parses the first event of a payload (a payload may carry several, §2.5.1.5:
// only the first is used). nullopt when shorter than 4 bytes.
std::optional<TelephoneEventPayload> parse_telephone_event(std::span<const std::uint8_t> payload) noexcept;
void write_telephone_event(const TelephoneEventPayload& event,
                           std::span<std::uint8_t, kTelephoneEventBytes> out) noexcept;

// Reports each event once. An event is identified by its RTP timestamp
// (§2.5.2.1: all its packets carry the start time), so retransmitted end
// packets and lost starts do not repeat or hide a digit.
class TelephoneEventReceiver {
 public:
  // Returns the event when this packet is the first seen of a new one.
  std::optional<DtmfEvent> on_packet(std::uint32_t rtp_timestamp, std::span<const std::uint8_t> payload) noexcept;

 private:
  bool have_last_ = false;
  std::uint32_t last_timestamp_ = 0;
};

// One digit as packets, one per 20-ms tick (RFC 4733 §2.5.1): the first
// with the RTP marker, updates with the growing duration, then the end
// packet three times (§2.5.1.4), all with the event's start timestamp.
class TelephoneEventSender {
 public:
  // `duration_samples`: how long the tone lasts, in timestamp units
  // (e.g. 800 = 100 ms at 8 kHz); `tick_samples` per packet (160 at 8 kHz).
  TelephoneEventSender(DtmfEvent event, std::uint16_t duration_samples, std::uint16_t tick_samples) noexcept;

  struct Packet {
    TelephoneEventPayload payload;
    bool marker = false;
  };
  // The packet of the next tick; nullopt once the last end packet was sent.
  std::optional<Packet> next() noexcept;

 private:
  DtmfEvent event_;
  std::uint16_t total_;
  std::uint16_t tick_;
  std::uint32_t elapsed_ = 0;
  int ends_sent_ = 0;
};

}  // namespace voxgate::media
