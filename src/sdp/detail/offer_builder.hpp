#pragma once
// Builds our offer (RFC 3264 §5) from the local media config, keeping the
// m= line layout of the session's previous description (§8: a re-offer has
// at least as many m= lines, in the same order, and may not change what a
// dynamic payload type number means). Private to src/sdp.

#include <cstddef>
#include <optional>

#include "sdp/local_media.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp::detail {

struct BuiltOffer {
  SessionDescription sdp;      // origin left for the caller to stamp
  std::size_t audio_slot = 0;  // index of our audio m= line
};

// `previous` is our side of the last completed exchange (nullptr for the
// first offer) and `audio_slot` the index of our audio line in it, if any.
// Other lines of `previous` are offered again disabled (port 0); without an
// audio slot, the audio line is appended (§8.1: new streams go at the end).
BuiltOffer build_offer(const LocalMediaConfig& local, const SessionDescription* previous,
                       std::optional<std::size_t> audio_slot);

}  // namespace voxgate::sdp::detail
