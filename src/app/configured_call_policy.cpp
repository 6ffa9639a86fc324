#include "app/configured_call_policy.hpp"

#include "app/media_app_factory.hpp"

namespace voxgate::app {

session::IncomingDecision ConfiguredCallPolicy::on_incoming_call(const session::IncomingCall& call) {
  auto app = make_media_app(media_, call.invite.call_id().value_or(""));
  if (!app) {
    log_.error("session {}: no media app: {}; refusing the call", call.session, app.error().message);
    return session::IncomingDecision::reject(500, "Media app unavailable");
  }
  return session::IncomingDecision::accept(nullptr, std::move(*app), answer_.answer_delay);
}

}  // namespace voxgate::app
