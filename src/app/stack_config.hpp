#pragma once
// From the configuration file's shape (config.hpp) to what the layers take:
// the transport's, transactions' and dialogs' settings, and our SDP media.

#include "app/config.hpp"
#include "app/sip_stack.hpp"
#include "base/result.hpp"
#include "sdp/local_media.hpp"

namespace voxgate::app {

Result<SipStackConfig> make_sip_stack_config(const GatewayConfig& config);

// Codec names are matched (case-insensitively) against what the SDP layer
// supports; an unknown name is a configuration error naming it.
Result<sdp::LocalMediaConfig> make_local_media(const MediaConfig& media);

}  // namespace voxgate::app
