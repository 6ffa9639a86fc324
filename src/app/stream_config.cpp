#include "app/stream_config.hpp"

namespace voxgate::app {

Result<void> check_stream_url(std::string_view key, std::string_view url, bot::StreamProfile profile) {
  const std::string_view scheme = profile == bot::StreamProfile::AudioSocket ? "tcp://" : "ws://";
  if (url.substr(0, scheme.size()) != scheme) {
    return make_error(Errc::InvalidArgument, "{}: profile {} needs a {} URL (got '{}')", key, bot::to_string(profile),
                      scheme, url);
  }
  return {};
}

Result<void> read_stream(TableReader& root, bot::StreamSettings& stream) {
  auto table = root.table("stream");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("url", stream.url));
  std::string profile(bot::to_string(stream.profile));
  VOXGATE_TRY(table->string("profile", profile));
  const auto kind = bot::stream_profile_from_name(profile);
  if (!kind) {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not one of twilio, l16, audiosocket",
                      table->key_path("profile"), profile);
  }
  stream.profile = *kind;
  VOXGATE_TRY(table->integer("l16_rate", stream.l16_rate, 8000, 16000));
  if (stream.l16_rate != 8000 && stream.l16_rate != 16000) {
    return make_error(Errc::InvalidArgument, "{}: must be 8000 or 16000", table->key_path("l16_rate"));
  }
  VOXGATE_TRY(table->string_table("parameters", stream.parameters));
  VOXGATE_TRY(table->string("account_sid", stream.account_sid));
  bool watermarks = stream.watermarks.value_or(stream.profile != bot::StreamProfile::Twilio);
  VOXGATE_TRY(table->boolean("watermarks", watermarks));
  stream.watermarks = watermarks;
  VOXGATE_TRY(table->milliseconds("max_queue_ms", stream.max_queue, 20, 600'000));
  VOXGATE_TRY(table->milliseconds("high_watermark_ms", stream.high_watermark, 20, 600'000));
  VOXGATE_TRY(table->milliseconds("low_watermark_ms", stream.low_watermark, 0, 600'000));
  if (stream.low_watermark >= stream.high_watermark) {
    return make_error(Errc::InvalidArgument, "{}: must be below high_watermark_ms",
                      table->key_path("low_watermark_ms"));
  }
  VOXGATE_TRY(table->milliseconds("connect_timeout_ms", stream.connect_timeout, 10, 60'000));
  std::string on_disconnect = stream.on_disconnect == bot::StreamDisconnectAction::Bot ? "bot" : "hangup";
  VOXGATE_TRY(table->string("on_disconnect", on_disconnect));
  if (on_disconnect != "hangup" && on_disconnect != "bot") {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not one of hangup, bot", table->key_path("on_disconnect"),
                      on_disconnect);
  }
  stream.on_disconnect =
      on_disconnect == "bot" ? bot::StreamDisconnectAction::Bot : bot::StreamDisconnectAction::Hangup;
  VOXGATE_TRY(table->string("disconnect_prompt", stream.disconnect_prompt));
  if (!stream.url.empty()) VOXGATE_TRY(check_stream_url(table->key_path("url"), stream.url, stream.profile));
  return table->finish();
}

}  // namespace voxgate::app
