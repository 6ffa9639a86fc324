#pragma once
// From the configuration file's shape (config.hpp) to what the layers take:
// the transport's, transactions' and dialogs' settings, and our SDP media.

#include "app/config.hpp"
#include "app/sip_stack.hpp"
#include "base/result.hpp"
#include "sdp/local_media.hpp"
#include "session/session_limits.hpp"
#include "session/session_services.hpp"
#include "session/stream_config.hpp"

namespace voxgate::app {

Result<SipStackConfig> make_sip_stack_config(const GatewayConfig& config);

// Codec names are matched (case-insensitively) against what the SDP layer
// supports; an unknown name is a configuration error naming it.
Result<sdp::LocalMediaConfig> make_local_media(const MediaConfig& media);

session::StreamSettings make_stream_settings(const MediaConfig& media);
Result<session::SessionSettings> make_session_settings(const GatewayConfig& config);
session::SessionLimitSettings make_session_limits(const LimitsConfig& limits);

}  // namespace voxgate::app
