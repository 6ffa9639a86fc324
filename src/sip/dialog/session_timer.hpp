#pragma once
// RFC 4028 session timers, the decisions: what interval and refresher a
// session refresh request (INVITE, re-INVITE, UPDATE) and its 2xx agree,
// when to answer 422, how a UAC retries after one, and when the refresher
// refreshes and the other side gives up. Pure functions of the headers and
// our settings; the dialog layer reads the headers, writes ours and runs the
// timers.
//
// One trap RFC 4028 sets: the refresher parameter names a role in *that*
// transaction. In a refresh we send, "uac" is us; in one we receive, "uac"
// is the peer. So a role is kept here as "who refreshes" (us or the peer)
// and turned into uac/uas per message.

#include <chrono>
#include <cstdint>
#include <optional>

#include "sip/message/session_timer_headers.hpp"

namespace voxgate::sip {

struct SessionTimerSettings {
  // Seed 000's SESSION_TIMEOUT_SEC: the interval we ask for in our INVITEs,
  // impose when a request asks for none, and reduce a longer one to (a UAS
  // may reduce, §9). 0: no timer unless the peer asks for one.
  std::uint32_t interval = 1800;
  // Seed 000's SESSION_MIN_SE: the shortest interval we accept. RFC 4028
  // §4 forbids less than 90; tests lower it to stay fast.
  std::uint32_t min_se = 90;
  // Whether we take the refresher role when a request leaves the choice to
  // us (no refresher parameter, the peer supports timers). Refreshing
  // ourselves keeps working with peers that mishandle the role.
  bool prefer_to_refresh = true;
};

// What a session refresh request said about timers.
struct TimerRequest {
  std::optional<SessionExpires> session_expires;
  std::optional<std::uint32_t> min_se;
  bool supports_timer = false;  // "timer" in its Supported or Require
};

// An agreed session timer: its interval, and whether we are the refresher.
struct AgreedTimer {
  std::uint32_t interval = 0;
  bool we_refresh = false;

  friend bool operator==(const AgreedTimer&, const AgreedTimer&) = default;
};

// Our answer as the UAS of a session refresh request (§9).
struct UasTimerDecision {
  enum class Kind : std::uint8_t {
    NoTimer,   // the 2xx carries no Session-Expires: no timer
    Accept,    // the 2xx carries Session-Expires: interval;refresher=...
    TooSmall,  // 422 (Session Interval Too Small) with Min-SE: min_se
  };
  Kind kind = Kind::NoTimer;
  std::uint32_t interval = 0;            // Accept
  Refresher refresher = Refresher::Uas;  // Accept: the parameter of our 2xx (uas = us)
  bool require_timer = false;            // Accept: Require: timer in the 2xx
  std::uint32_t min_se = 0;              // TooSmall

  [[nodiscard]] std::optional<AgreedTimer> agreed() const noexcept;
};

// `we_refresh_now`: the role of an established session being refreshed,
// kept when the request leaves the choice to us; nullopt for an initial
// INVITE (then `prefer_to_refresh` decides).
UasTimerDecision decide_as_uas(const TimerRequest& request, const SessionTimerSettings& settings,
                               std::optional<bool> we_refresh_now = std::nullopt);

// The timer headers of a session refresh request we send (§7).
struct TimerRequestHeaders {
  std::uint32_t session_expires = 0;
  std::optional<Refresher> refresher;  // nullopt: the UAS chooses
  std::optional<std::uint32_t> min_se;

  friend bool operator==(const TimerRequestHeaders&, const TimerRequestHeaders&) = default;
};

// An initial INVITE (§7.1): our interval, the choice left to the UAS, our
// Min-SE when it is not the default 90. Nullopt when our interval is 0
// (we still send Supported: timer, so the UAS may impose one).
std::optional<TimerRequestHeaders> initial_request(const SessionTimerSettings& settings);

// A refresh we send in an established session (§7.4): the agreed interval
// and our role, as this transaction's uac/uas.
TimerRequestHeaders refresh_request(const AgreedTimer& agreed, std::optional<std::uint32_t> min_se);

// After a 422 to `sent` (§7.1: the same request again, with Min-SE and
// Session-Expires raised to the 422's Min-SE). Nullopt when the 422 has no
// Min-SE or does not ask for more than we sent: a retry would loop.
std::optional<TimerRequestHeaders> retry_after_422(const TimerRequestHeaders& sent,
                                                   std::optional<std::uint32_t> min_se_in_422);

// What a 2xx to our session refresh request agreed (§7.2). No
// Session-Expires: no timer (also mid-dialog: that turns it off).
// "refresher=uac" names us; without the parameter we refresh, since a
// session timer nobody refreshes would end the call.
std::optional<AgreedTimer> agreed_as_uac(const std::optional<SessionExpires>& session_expires_in_2xx);

// The refresher refreshes at half the interval (§10 recommends it). Seed
// 000's 80 % is too late for a peer that follows §10: it sends BYE when no
// refresh came by SE - min(32 s, SE/3), which is at or before 80 % of SE
// whenever SE <= 160 s (docs/SESSIONS.md).
std::chrono::milliseconds refresh_delay(std::uint32_t interval) noexcept;
std::chrono::milliseconds expiry_delay(std::uint32_t interval) noexcept;

}  // namespace voxgate::sip
