#include "bot/stream/l16_codec.hpp"

#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "bot/stream/base64.hpp"
#include "bot/stream/json_message.hpp"

namespace voxgate::bot {

std::string pcm_to_le_bytes(std::span<const std::int16_t> pcm) {
  std::string bytes(pcm.size() * 2, '\0');
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const auto sample = static_cast<std::uint16_t>(pcm[i]);
    bytes[2 * i] = static_cast<char>(sample & 0xff);
    bytes[2 * i + 1] = static_cast<char>(sample >> 8);
  }
  return bytes;
}

Result<std::vector<std::int16_t>> pcm_from_le_bytes(std::string_view bytes) {
  if (bytes.size() % 2 != 0)
    return make_error(Errc::InvalidArgument, "{} bytes of L16: not whole samples", bytes.size());
  std::vector<std::int16_t> pcm(bytes.size() / 2);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const auto low = static_cast<std::uint8_t>(bytes[2 * i]);
    const auto high = static_cast<std::uint8_t>(bytes[2 * i + 1]);
    pcm[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(low | (high << 8)));
  }
  return pcm;
}

std::vector<StreamMessage> L16Codec::start(const StreamStart& start) {
  boost::json::object preamble{{"callSid", fmt::format("{:032x}", start.session_id)},
                               {"callId", start.call_id},
                               {"from", start.from},
                               {"to", start.to},
                               {"direction", "inbound"},
                               {"sampleRate", options_.sample_rate},
                               {"mixType", "mono"}};
  // jambonz adds the verb's `metadata` to the preamble's attributes.
  for (const auto& [name, value] : start.parameters) preamble[name] = value;
  return {json_message(preamble)};
}

StreamMessage L16Codec::caller_audio(std::span<const std::int16_t> frame) {
  return StreamMessage{true, pcm_to_le_bytes(frame)};
}

std::optional<StreamMessage> L16Codec::dtmf(char digit) {
  // jambonz adds a "duration" in RTP timestamp units; the session reports keys
  // without theirs, so it is left out rather than made up.
  return json_message({{"event", "dtmf"}, {"dtmf", std::string(1, digit)}});
}

std::optional<StreamMessage> L16Codec::mark(const std::string& name, MarkOutcome outcome) {
  return json_message({{"type", "mark"},
                       {"data", {{"name", name}, {"event", outcome == MarkOutcome::Played ? "playout" : "cleared"}}}});
}

std::optional<StreamMessage> L16Codec::queue_level(bool high, std::uint64_t queued_ms) {
  if (!options_.watermarks) return std::nullopt;
  return json_message(
      {{"type", "voxgate.queue"}, {"data", {{"level", high ? "high" : "low"}, {"queuedMs", queued_ms}}}});
}

Result<std::vector<BotCommand>> L16Codec::decode(const StreamMessage& message) {
  if (message.binary) {
    auto pcm = pcm_from_le_bytes(message.data);
    if (!pcm) return tl::unexpected(pcm.error());
    return std::vector<BotCommand>{BotAudio{std::move(*pcm)}};
  }
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(message.data, ec);
  if (ec || !parsed.is_object()) return make_error(Errc::InvalidArgument, "not a JSON object");
  const auto& object = parsed.get_object();
  const auto* type = object.if_contains("type");
  const std::string_view kind = type != nullptr && type->is_string() ? std::string_view(type->get_string()) : "";
  const auto* data = object.if_contains("data");
  const boost::json::object empty;
  const auto& fields = data != nullptr && data->is_object() ? data->get_object() : empty;
  if (kind == "killAudio") return std::vector<BotCommand>{BotClear{}};
  if (kind == "disconnect") return std::vector<BotCommand>{BotHangup{}};
  if (kind == "mark") {
    const auto* name = fields.if_contains("name");
    if (name == nullptr || !name->is_string() || name->get_string().empty()) {
      return make_error(Errc::InvalidArgument, "mark without a name");
    }
    return std::vector<BotCommand>{BotMark{std::string(name->get_string())}};
  }
  if (kind == "playAudio") {
    const auto* rate = fields.if_contains("sampleRate");
    if (rate != nullptr && (!rate->is_int64() || rate->get_int64() != options_.sample_rate)) {
      return make_error(Errc::InvalidArgument, "playAudio at another rate than the stream's {} Hz",
                        options_.sample_rate);
    }
    const auto* content = fields.if_contains("audioContent");
    if (content == nullptr || !content->is_string())
      return make_error(Errc::InvalidArgument, "playAudio without audioContent");
    auto bytes = base64_decode(content->get_string());
    if (!bytes) return make_error(Errc::InvalidArgument, "playAudio audioContent: {}", bytes.error().message);
    auto pcm = pcm_from_le_bytes(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    if (!pcm) return tl::unexpected(pcm.error());
    return std::vector<BotCommand>{BotAudio{std::move(*pcm)}};
  }
  return make_error(Errc::InvalidArgument, "unknown type '{}'", kind);
}

}  // namespace voxgate::bot
