// /v1/sessions: list, get, originate, patch, hang up, and the actions
// (docs/API.md). Reads go to the registry (any thread may read it);
// commands go to the session's worker loop through SessionControl, and
// their answers come back to the API's io_context.

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <boost/json/object.hpp>

#include "api/api_server.hpp"
#include "api/detail/exchange.hpp"
#include "api/json_codec.hpp"
#include "api/session_query.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::api {
namespace {

using Kind = SessionCommand::Kind;

Result<std::string> string_field(const boost::json::object& body, std::string_view name, bool required) {
  const auto* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) {
    if (required) return make_error(Errc::InvalidArgument, "'{}' is required", name);
    return std::string();
  }
  if (!value->is_string()) return make_error(Errc::InvalidArgument, "'{}' must be a string", name);
  return std::string(value->as_string());
}

Result<std::optional<std::int64_t>> int_field(const boost::json::object& body, std::string_view name) {
  const auto* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<std::int64_t>();
  if (!value->is_int64()) return make_error(Errc::InvalidArgument, "'{}' must be an integer", name);
  return std::optional<std::int64_t>(value->as_int64());
}

// "echo" or {"name": "tone", "tone_hz": 440} / {"name": "play", "file": "...", "loop": false}
// / {"name": "bot", "profile": "sales"} (the bot only where a call is answered).
Result<MediaAppSpec> media_app_from(const boost::json::value& value) {
  MediaAppSpec spec;
  if (value.is_string()) {
    spec.name = value.as_string();
  } else if (value.is_object()) {
    const auto& object = value.as_object();
    auto name = string_field(object, "name", true);
    if (!name) return tl::unexpected(name.error());
    spec.name = *name;
    auto file = string_field(object, "file", false);
    if (!file) return tl::unexpected(file.error());
    spec.file = *file;
    if (const auto* hz = object.if_contains("tone_hz")) {
      if (!hz->is_number()) return make_error(Errc::InvalidArgument, "'tone_hz' must be a number");
      spec.tone_hz = hz->to_number<double>();
    }
    if (const auto* loop = object.if_contains("loop")) {
      if (!loop->is_bool()) return make_error(Errc::InvalidArgument, "'loop' must be true or false");
      spec.loop = loop->as_bool();
    }
    auto profile = string_field(object, "profile", false);
    if (!profile) return tl::unexpected(profile.error());
    if (!profile->empty() && spec.name != "bot") {
      return make_error(Errc::InvalidArgument, "'profile' is for app 'bot', not '{}'", spec.name);
    }
    spec.bot_profile = std::move(*profile);
  } else {
    return make_error(Errc::InvalidArgument, "'app' must be a name or an object with a name");
  }
  static constexpr std::string_view kApps[] = {"echo", "tone", "silence", "play", "record", "bot"};
  if (std::find(std::begin(kApps), std::end(kApps), spec.name) == std::end(kApps)) {
    return make_error(Errc::InvalidArgument, "app '{}' is not one of echo, tone, silence, play, record, bot",
                      spec.name);
  }
  if ((spec.name == "play") && spec.file.empty()) {
    return make_error(Errc::InvalidArgument, "app 'play' needs a 'file'");
  }
  return spec;
}

// An object of strings (`metadata`, a stream's `parameters`).
Result<session::Metadata> metadata_from(const boost::json::object& body, std::string_view field = "metadata") {
  session::Metadata metadata;
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) return metadata;
  if (!value->is_object()) return make_error(Errc::InvalidArgument, "'{}' must be an object of strings", field);
  for (const auto& [key, item] : value->as_object()) {
    if (!item.is_string()) return make_error(Errc::InvalidArgument, "{} '{}' must be a string", field, key);
    metadata.emplace(std::string(key), std::string(item.as_string()));
  }
  return metadata;
}

// POST .../stream: {"url": "ws://...", "profile": "twilio", "parameters": {...}},
// every field optional ([stream]'s then).
Result<StreamSpec> stream_from(const boost::json::object& body) {
  StreamSpec spec;
  auto url = string_field(body, "url", false);
  if (!url) return tl::unexpected(url.error());
  if (!url->empty() && !url->starts_with("ws://") && !url->starts_with("tcp://")) {
    return make_error(Errc::InvalidArgument, "'url' must be a ws:// or tcp:// URL, not '{}'", *url);
  }
  spec.url = *url;
  auto profile = string_field(body, "profile", false);
  if (!profile) return tl::unexpected(profile.error());
  if (!profile->empty() && *profile != "twilio" && *profile != "l16" && *profile != "audiosocket") {
    return make_error(Errc::InvalidArgument, "'profile' '{}' is not one of twilio, l16, audiosocket", *profile);
  }
  spec.profile = *profile;
  auto parameters = metadata_from(body, "parameters");
  if (!parameters) return tl::unexpected(parameters.error());
  spec.parameters.insert(parameters->begin(), parameters->end());
  return spec;
}

// A command that needs nothing but its kind.
SessionCommand command_of(Kind kind) {
  SessionCommand command;
  command.kind = kind;
  return command;
}

// A say's text: a few sentences, not a book (each is synthesised on the bot thread).
constexpr std::size_t kMaxSayChars = 2000;

// A say's handle travels in events and URLs: a short token.
bool valid_say_handle(std::string_view handle) {
  if (handle.empty() || handle.size() > 64) return false;
  return std::all_of(handle.begin(), handle.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

// The command an action path and its body ask for.
Result<SessionCommand> command_for(std::string_view action, const boost::json::object& body) {
  SessionCommand command;
  auto reason = string_field(body, "reason", false);
  if (!reason) return tl::unexpected(reason.error());
  command.reason = *reason;
  std::optional<MediaAppSpec> app;
  if (const auto* value = body.if_contains("app"); value != nullptr && !value->is_null()) {
    auto spec = media_app_from(*value);
    if (!spec) return tl::unexpected(spec.error());
    app = *spec;
  }
  // The bot serves a call from its answer on (it greets the caller), so
  // only answering names it.
  if (app && app->name == "bot" && action != "answer") {
    return make_error(Errc::InvalidArgument, "app 'bot' is chosen when answering a call, not by '{}'", action);
  }
  if (action == "answer") {
    command.kind = Kind::Answer;
    command.app = app;
  } else if (action == "reject") {
    command.kind = Kind::Reject;
    auto status = int_field(body, "status");
    if (!status) return tl::unexpected(status.error());
    const std::int64_t code = status->value_or(486);
    if (code < 400 || code > 699) return make_error(Errc::InvalidArgument, "'status' must be 400..699, not {}", code);
    command.status = static_cast<std::uint16_t>(code);
  } else if (action == "hold") {
    command.kind = Kind::Hold;
  } else if (action == "resume") {
    command.kind = Kind::Resume;
  } else if (action == "dtmf") {
    command.kind = Kind::Dtmf;
    auto digits = string_field(body, "digits", true);
    if (!digits) return tl::unexpected(digits.error());
    if (digits->empty() || digits->find_first_not_of("0123456789*#ABCDabcd") != std::string::npos) {
      return make_error(Errc::InvalidArgument, "'digits' must be 0-9, *, #, A-D");
    }
    command.digits = *digits;
  } else if (action == "play") {
    command.kind = Kind::Play;
    auto file = string_field(body, "file", true);
    if (!file) return tl::unexpected(file.error());
    command.app = MediaAppSpec{"play", 440, *file, false, {}};
    if (const auto* loop = body.if_contains("loop"); loop != nullptr && loop->is_bool())
      command.app->loop = loop->as_bool();
  } else if (action == "record") {
    command.kind = Kind::Record;
    auto file = string_field(body, "file", false);
    if (!file) return tl::unexpected(file.error());
    command.app = MediaAppSpec{"record", 440, *file, false, {}};
  } else if (action == "app") {
    command.kind = Kind::App;
    if (!app) return make_error(Errc::InvalidArgument, "'app' is required");
    command.app = app;
  } else if (action == "stream") {
    command.kind = Kind::Stream;
    auto stream = stream_from(body);
    if (!stream) return tl::unexpected(stream.error());
    command.stream = std::move(*stream);
  } else if (action == "transfer") {
    command.kind = Kind::Transfer;
    auto target = string_field(body, "target", true);
    if (!target) return tl::unexpected(target.error());
    // The SIP URI parser decides (RFC 3261 §19.1): the REFER's Refer-To
    // carries it as given.
    auto uri = sip::parse_uri(*target);
    if (!uri || !uri->is_sip() || target->find_first_of("<>\" \t\r\n") != std::string::npos) {
      return make_error(Errc::InvalidArgument, "'target' '{}' is not a sip: or sips: URI", *target);
    }
    command.target = *target;
  } else if (action == "say") {
    command.kind = Kind::Say;
    auto text = string_field(body, "text", true);
    if (!text) return tl::unexpected(text.error());
    if (text->empty() || text->size() > kMaxSayChars) {
      return make_error(Errc::InvalidArgument, "'text' must be 1..{} characters", kMaxSayChars);
    }
    auto handle = string_field(body, "handle", false);
    if (!handle) return tl::unexpected(handle.error());
    if (!handle->empty() && !valid_say_handle(*handle)) {
      return make_error(Errc::InvalidArgument, "'handle' must be 1..64 of A-Z a-z 0-9 . _ -");
    }
    command.text = std::move(*text);
    command.handle = std::move(*handle);
  } else {
    return make_error(Errc::NotFound,
                      "no action '{}' (answer, reject, hold, resume, dtmf, play, record, app, stream, transfer, say)",
                      action);
  }
  return command;
}

boost::json::object page_json(const session::SessionPage& page) {
  boost::json::array sessions;
  sessions.reserve(page.records.size());
  for (const auto& record : page.records) sessions.push_back(to_json(record));
  boost::json::object body;
  body["sessions"] = std::move(sessions);
  body["next_cursor"] =
      page.next_cursor ? boost::json::value(fmt::format("{}", page.next_cursor->value())) : boost::json::value(nullptr);
  return body;
}

}  // namespace

void ApiServer::add_session_routes() {
  route(http::verb::get, "/v1/sessions", [this](const ExchangePtr& exchange) {
    auto params = net::parse_query(net::query_of(exchange->request.target()));
    if (!params) return exchange->fail(params.error());
    auto filter = session_filter_from(*params);
    if (!filter) return exchange->fail(filter.error());
    auto page = deps_.registry.list(*filter);
    if (!page) return exchange->fail(page.error());
    exchange->respond(http::status::ok, page_json(*page));
  });

  route(http::verb::get, "/v1/sessions/{id}", [this](const ExchangePtr& exchange) {
    auto id = parse_session_id(exchange->params.at("id"));
    if (!id) return exchange->fail(id.error());
    auto record = deps_.registry.get(*id);
    if (!record) return exchange->fail(record.error());
    exchange->respond(http::status::ok, to_json(*record));
  });

  route(http::verb::post, "/v1/sessions", [this](const ExchangePtr& exchange) {
    auto body = exchange->body_object();
    if (!body) return exchange->fail(body.error());
    OriginateRequest request;
    auto target = string_field(*body, "target", true);
    auto from = string_field(*body, "from", false);
    auto metadata = metadata_from(*body);
    auto timeout = int_field(*body, "timeout_ms");
    if (!target) return exchange->fail(target.error());
    if (!from) return exchange->fail(from.error());
    if (!metadata) return exchange->fail(metadata.error());
    if (!timeout) return exchange->fail(timeout.error());
    if (!target->starts_with("sip:") && !target->starts_with("sips:")) {
      return exchange->fail(ApiErrorCode::InvalidArgument, fmt::format("target '{}' is not a SIP URI", *target));
    }
    if (*timeout && (**timeout <= 0 || **timeout > 600'000)) {
      return exchange->fail(ApiErrorCode::InvalidArgument, "'timeout_ms' must be 1..600000");
    }
    request.target = *target;
    request.from = *from;
    request.metadata = std::move(*metadata);
    if (*timeout) request.timeout = std::chrono::milliseconds(**timeout);
    if (const auto* app = body->if_contains("app"); app != nullptr && !app->is_null()) {
      auto spec = media_app_from(*app);
      if (!spec) return exchange->fail(spec.error());
      if (spec->name == "bot") {
        return exchange->fail(ApiErrorCode::InvalidArgument,
                              "app 'bot' answers inbound calls; an originated call "
                              "cannot have it");
      }
      request.app = *spec;
    }
    deps_.control.originate(std::move(request), [exchange](Result<session::SessionId> id) {
      exchange->on_api_thread([exchange, id = std::move(id)] {
        if (!id) return exchange->fail(id.error());
        auto record = exchange->server().deps_.registry.get(*id);
        if (!record) return exchange->fail(record.error());
        exchange->respond(http::status::created, to_json(*record));
      });
    });
  });

  route(http::verb::patch, "/v1/sessions/{id}", [this](const ExchangePtr& exchange) {
    auto id = parse_session_id(exchange->params.at("id"));
    if (!id) return exchange->fail(id.error());
    auto body = exchange->body_object();
    if (!body) return exchange->fail(body.error());
    for (const auto& [key, value] : *body) {
      if (key != "metadata" && key != "state") {
        return exchange->fail(ApiErrorCode::InvalidArgument,
                              fmt::format("'{}' cannot be changed (metadata, state)", std::string_view(key)));
      }
    }
    auto current = deps_.registry.get(*id);
    if (!current) return exchange->fail(current.error());
    // Metadata first, all or nothing as far as validation goes: values are
    // strings (set) or null (remove).
    if (const auto* metadata = body->if_contains("metadata")) {
      if (!metadata->is_object()) return exchange->fail(ApiErrorCode::InvalidArgument, "'metadata' must be an object");
      for (const auto& [key, value] : metadata->as_object()) {
        if (!value.is_string() && !value.is_null()) {
          return exchange->fail(ApiErrorCode::InvalidArgument,
                                fmt::format("metadata '{}' must be a string or null", std::string_view(key)));
        }
      }
      for (const auto& [key, value] : metadata->as_object()) {
        auto changed = value.is_null()
                           ? deps_.registry.remove_metadata(*id, key)
                           : deps_.registry.set_metadata(*id, std::string(key), std::string(value.as_string()));
        if (!changed && !(value.is_null() && changed.error().code == Errc::NotFound)) {
          return exchange->fail(changed.error());
        }
      }
    }
    // A state change is a command: on_hold (hold), connected (resume),
    // terminated (hang up).
    std::optional<SessionCommand> command;
    if (const auto* state = body->if_contains("state")) {
      const std::string wanted = state->is_string() ? std::string(state->as_string()) : std::string();
      if (wanted == "on_hold") {
        command = command_of(Kind::Hold);
      } else if (wanted == "connected") {
        command = command_of(Kind::Resume);
      } else if (wanted == "terminated") {
        command = command_of(Kind::Hangup);
      } else {
        return exchange->fail(ApiErrorCode::InvalidArgument,
                              "'state' may be changed to on_hold, connected or terminated only");
      }
    }
    auto respond_with_record = [exchange, id = *id] {
      auto record = exchange->server().deps_.registry.get(id);
      if (!record) return exchange->fail(record.error());
      exchange->respond(http::status::ok, to_json(*record));
    };
    if (!command) return respond_with_record();
    deps_.control.command(*id, current->call_id, *command, [exchange, respond_with_record](Result<void> done) {
      exchange->on_api_thread([exchange, respond_with_record, done = std::move(done)] {
        if (!done) return exchange->fail(done.error());
        respond_with_record();
      });
    });
  });

  route(http::verb::delete_, "/v1/sessions/{id}", [this](const ExchangePtr& exchange) {
    auto id = parse_session_id(exchange->params.at("id"));
    if (!id) return exchange->fail(id.error());
    auto params = net::parse_query(net::query_of(exchange->request.target()));
    if (!params) return exchange->fail(params.error());
    auto body = exchange->body_object();
    if (!body) return exchange->fail(body.error());
    SessionCommand command = command_of(Kind::Hangup);
    if (auto reason = string_field(*body, "reason", false); reason && !reason->empty()) command.reason = *reason;
    for (const auto& [name, value] : *params) {
      if (name != "reason")
        return exchange->fail(ApiErrorCode::InvalidArgument, fmt::format("unknown parameter '{}'", name));
      command.reason = value;
    }
    auto record = deps_.registry.get(*id);
    if (!record) return exchange->fail(record.error());
    if (record->state == session::SessionState::Terminated) {
      return exchange->fail(ApiErrorCode::InvalidState, fmt::format("session {} has ended already", id->value()));
    }
    deps_.control.command(*id, record->call_id, std::move(command), [exchange](Result<void> done) {
      exchange->on_api_thread([exchange, done = std::move(done)] {
        if (!done) return exchange->fail(done.error());
        exchange->no_content();
      });
    });
  });

  // Stops a say under way: 202, and its bot.said says cancelled.
  route(http::verb::delete_, "/v1/sessions/{id}/say/{handle}", [this](const ExchangePtr& exchange) {
    auto id = parse_session_id(exchange->params.at("id"));
    if (!id) return exchange->fail(id.error());
    auto record = deps_.registry.get(*id);
    if (!record) return exchange->fail(record.error());
    SessionCommand command = command_of(Kind::CancelSay);
    command.handle = exchange->params.at("handle");
    deps_.control.command(*id, record->call_id, std::move(command), [exchange](Result<void> done) {
      exchange->on_api_thread([exchange, done = std::move(done)] {
        // NotFound here is the say (the session was found above, or is gone: 404 either way).
        if (!done) return exchange->fail(done.error(), ApiErrorCode::NotFound);
        exchange->respond(http::status::accepted, boost::json::object{});
      });
    });
  });

  route(http::verb::post, "/v1/sessions/{id}/{action}", [this](const ExchangePtr& exchange) {
    auto id = parse_session_id(exchange->params.at("id"));
    if (!id) return exchange->fail(id.error());
    auto body = exchange->body_object();
    if (!body) return exchange->fail(body.error());
    auto command = command_for(exchange->params.at("action"), *body);
    if (!command) return exchange->fail(command.error(), ApiErrorCode::NotFound);
    auto record = deps_.registry.get(*id);
    if (!record) return exchange->fail(record.error());
    if (command->kind == Kind::Say) {
      // 202: the text is queued; bot.said {handle, outcome} says how it ended.
      if (command->handle.empty()) command->handle = fmt::format("say-{}", ++says_);
      boost::json::object accepted{{"handle", command->handle}};
      deps_.control.command(*id, record->call_id, std::move(*command),
                            [exchange, accepted = std::move(accepted)](Result<void> done) {
                              exchange->on_api_thread([exchange, accepted, done = std::move(done)] {
                                if (!done) return exchange->fail(done.error());
                                exchange->respond(http::status::accepted, accepted);
                              });
                            });
      return;
    }
    // A transfer is under way when the REFER is out, not done: 202, and
    // its outcome comes as call.transfer_* events (docs/API.md).
    const auto status = command->kind == Kind::Transfer ? http::status::accepted : http::status::ok;
    deps_.control.command(*id, record->call_id, std::move(*command), [exchange, id = *id, status](Result<void> done) {
      exchange->on_api_thread([exchange, id, status, done = std::move(done)] {
        if (!done) return exchange->fail(done.error());
        auto now = exchange->server().deps_.registry.get(id);
        if (!now) return exchange->fail(now.error());
        exchange->respond(status, to_json(*now));
      });
    });
  });
}

}  // namespace voxgate::api
