#pragma once
// The API's SessionControl over the worker loops: a command goes to the
// loop that owns the call (LoopPool::index_for its Call-ID), finds the
// session in that loop's SessionManager and acts on it there; a new call
// goes to the loops in turn. Media apps named by the API are built from
// the [media] configuration with the API's overrides.

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/session_control.hpp"
#include "app/bot_apps.hpp"
#include "app/config.hpp"
#include "base/log.hpp"
#include "media/apps/media_app.hpp"
#include "runtime/loop_pool.hpp"
#include "session/session_manager.hpp"

namespace voxgate::app {

// The MediaConfig `base` with what `spec` asks for; InvalidArgument for an
// unknown app name.
Result<MediaConfig> media_config_for(const MediaConfig& base, const api::MediaAppSpec& spec);

class LoopSessionControl final : public api::SessionControl {
 public:
  // managers[i] lives on pool.loop(i); the vector is filled before the
  // first command (the managers need their policy, which may need this
  // object) and outlives it, as do the managers.
  LoopSessionControl(runtime::LoopPool& pool, const std::vector<session::SessionManager*>& managers, MediaConfig media,
                     Logger log);

  // The From of calls the API places without one ("<sip:voxgate@host:port>");
  // before the loops run.
  void set_default_from(std::string from) { default_from_ = std::move(from); }
  // Answering with app "bot" needs the bot's SessionApps, streaming a call
  // the stream's; before the loops run.
  void set_app_factories(SessionAppFactories apps) { apps_ = std::move(apps); }

  void originate(api::OriginateRequest request, Originated done) override;
  void command(session::SessionId id, std::string call_id, api::SessionCommand command, Done done) override;

 private:
  Result<std::unique_ptr<media::MediaApp>> build(const api::MediaAppSpec& spec, std::string_view call_id) const;
  Result<void> apply(session::Session& session, api::SessionCommand command) const;

  runtime::LoopPool& pool_;
  const std::vector<session::SessionManager*>& managers_;
  MediaConfig media_;
  std::string default_from_;
  SessionAppFactories apps_;
  Logger log_;
  std::atomic<std::size_t> next_loop_{0};
};

}  // namespace voxgate::app
