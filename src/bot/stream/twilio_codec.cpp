#include "bot/stream/twilio_codec.hpp"

#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "bot/stream/base64.hpp"
#include "bot/stream/json_message.hpp"

namespace voxgate::bot {
namespace {

// A string field of `object`, or "" when it is missing or not a string.
std::string_view string_field(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return value->get_string();
}

}  // namespace

TwilioCodec::TwilioCodec(TwilioCodecOptions options) : options_(std::move(options)) {}

std::string TwilioCodec::next_sequence() {
  return std::to_string(++sequence_);
}

std::vector<StreamMessage> TwilioCodec::start(const StreamStart& start) {
  call_sid_ = fmt::format("CA{:032x}", start.session_id);
  boost::json::object parameters;
  for (const auto& [name, value] : start.parameters) parameters[name] = value;
  // The connected message has no sequenceNumber; start is number 1.
  boost::json::object connected{{"event", "connected"}, {"protocol", "Call"}, {"version", "1.0.0"}};
  boost::json::object begin{{"event", "start"},
                            {"sequenceNumber", next_sequence()},
                            {"start",
                             {{"accountSid", options_.account_sid},
                              {"streamSid", options_.stream_sid},
                              {"callSid", call_sid_},
                              {"tracks", boost::json::array{"inbound"}},
                              {"customParameters", std::move(parameters)},
                              {"mediaFormat", {{"encoding", "audio/x-mulaw"}, {"sampleRate", 8000}, {"channels", 1}}}}},
                            {"streamSid", options_.stream_sid}};
  return {json_message(connected), json_message(begin)};
}

StreamMessage TwilioCodec::caller_audio(std::span<const std::int16_t> frame) {
  std::vector<std::uint8_t> mulaw(frame.size());
  mulaw.resize(mulaw_.encode(frame, mulaw));
  const auto timestamp_ms = samples_sent_ / 8;
  samples_sent_ += frame.size();
  return json_message({{"event", "media"},
                       {"sequenceNumber", next_sequence()},
                       {"media",
                        {{"track", "inbound"},
                         {"chunk", std::to_string(++chunk_)},
                         {"timestamp", std::to_string(timestamp_ms)},
                         {"payload", base64_encode(mulaw)}}},
                       {"streamSid", options_.stream_sid}});
}

std::optional<StreamMessage> TwilioCodec::dtmf(char digit) {
  return json_message({{"event", "dtmf"},
                       {"streamSid", options_.stream_sid},
                       {"sequenceNumber", next_sequence()},
                       {"dtmf", {{"track", "inbound_track"}, {"digit", std::string(1, digit)}}}});
}

std::optional<StreamMessage> TwilioCodec::mark(const std::string& name, MarkOutcome /*outcome*/) {
  // Twilio returns a mark the same way whether its audio played or a clear
  // dropped it.
  return json_message({{"event", "mark"},
                       {"sequenceNumber", next_sequence()},
                       {"streamSid", options_.stream_sid},
                       {"mark", {{"name", name}}}});
}

std::optional<StreamMessage> TwilioCodec::queue_level(bool high, std::uint64_t queued_ms) {
  if (!options_.watermarks) return std::nullopt;
  return json_message({{"event", "voxgate.queue"},
                       {"sequenceNumber", next_sequence()},
                       {"streamSid", options_.stream_sid},
                       {"queue", {{"level", high ? "high" : "low"}, {"queuedMs", std::to_string(queued_ms)}}}});
}

std::optional<StreamMessage> TwilioCodec::stop() {
  return json_message({{"event", "stop"},
                       {"sequenceNumber", next_sequence()},
                       {"streamSid", options_.stream_sid},
                       {"stop", {{"accountSid", options_.account_sid}, {"callSid", call_sid_}}}});
}

Result<std::vector<BotCommand>> TwilioCodec::decode(const StreamMessage& message) {
  if (message.binary) return make_error(Errc::InvalidArgument, "a binary message: Twilio's are JSON text");
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(message.data, ec);
  if (ec || !parsed.is_object()) return make_error(Errc::InvalidArgument, "not a JSON object");
  const auto& object = parsed.get_object();
  const auto event = string_field(object, "event");
  if (event == "media") {
    const auto* media = object.if_contains("media");
    if (media == nullptr || !media->is_object())
      return make_error(Errc::InvalidArgument, "media without a media object");
    auto bytes = base64_decode(string_field(media->get_object(), "payload"));
    if (!bytes) return make_error(Errc::InvalidArgument, "media payload: {}", bytes.error().message);
    BotAudio audio;
    audio.pcm.resize(bytes->size());
    audio.pcm.resize(mulaw_.decode(*bytes, audio.pcm));
    return std::vector<BotCommand>{std::move(audio)};
  }
  if (event == "mark") {
    const auto* mark = object.if_contains("mark");
    const auto name = mark != nullptr && mark->is_object() ? string_field(mark->get_object(), "name") : "";
    if (name.empty()) return make_error(Errc::InvalidArgument, "mark without a name");
    return std::vector<BotCommand>{BotMark{std::string(name)}};
  }
  if (event == "clear") return std::vector<BotCommand>{BotClear{}};
  return make_error(Errc::InvalidArgument, "unknown event '{}'", event);
}

}  // namespace voxgate::bot
