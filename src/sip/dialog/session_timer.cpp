#include "sip/dialog/session_timer.hpp"

#include <algorithm>

namespace voxgate::sip {

namespace {

constexpr std::uint32_t kDefaultMinSe = 90;  // §4, §5: a missing Min-SE means 90

}  // namespace

std::optional<AgreedTimer> UasTimerDecision::agreed() const noexcept {
  if (kind != Kind::Accept) return std::nullopt;
  return AgreedTimer{interval, refresher == Refresher::Uas};
}

UasTimerDecision decide_as_uas(const TimerRequest& request, const SessionTimerSettings& settings,
                               std::optional<bool> we_refresh_now) {
  UasTimerDecision decision;
  // The floor: ours, and the one the request (a proxy on the path) set.
  const std::uint32_t floor = std::max(settings.min_se, request.min_se.value_or(0));
  std::uint32_t interval = 0;
  if (request.session_expires) {
    interval = request.session_expires->interval;
    if (interval < settings.min_se) {
      // §9: too small for us. A UAC that supports timers retries after a
      // 422; one that does not would just fail, so (RFC 4028 errata 1687,
      // like §8.1 for proxies) we raise the interval instead.
      if (request.supports_timer) {
        decision.kind = UasTimerDecision::Kind::TooSmall;
        decision.min_se = settings.min_se;
        return decision;
      }
      interval = settings.min_se;
    }
    // §9: a UAS may reduce the interval, not below the request's Min-SE.
    if (settings.interval > 0 && interval > settings.interval) interval = std::max(settings.interval, floor);
  } else {
    // §9: with no Session-Expires in the request, the UAS may still use a
    // timer (seed 000: SESSION_TIMEOUT_SEC, 0 = none).
    if (settings.interval == 0) return decision;
    interval = std::max(settings.interval, floor);
  }
  decision.kind = UasTimerDecision::Kind::Accept;
  decision.interval = interval;
  if (!request.supports_timer) {
    // §9: a UAC that does not know timers cannot refresh, and we may not
    // Require what it does not support.
    decision.refresher = Refresher::Uas;
    decision.require_timer = false;
    return decision;
  }
  if (request.session_expires && request.session_expires->refresher) {
    decision.refresher = *request.session_expires->refresher;  // §9: the UAS copies it
  } else {
    const bool we_refresh = we_refresh_now.value_or(settings.prefer_to_refresh);
    decision.refresher = we_refresh ? Refresher::Uas : Refresher::Uac;
  }
  // §9: Require: timer whenever the UAC refreshes; and when it supports
  // timers at all, so it knows the 2xx's Session-Expires is binding.
  decision.require_timer = true;
  return decision;
}

std::optional<TimerRequestHeaders> initial_request(const SessionTimerSettings& settings) {
  if (settings.interval == 0) return std::nullopt;
  TimerRequestHeaders headers;
  headers.session_expires = std::max(settings.interval, settings.min_se);
  if (settings.min_se != kDefaultMinSe) headers.min_se = settings.min_se;
  return headers;
}

TimerRequestHeaders refresh_request(const AgreedTimer& agreed, std::optional<std::uint32_t> min_se) {
  TimerRequestHeaders headers;
  headers.session_expires = agreed.interval;
  // In a request we send, "uac" is us.
  headers.refresher = agreed.we_refresh ? Refresher::Uac : Refresher::Uas;
  headers.min_se = min_se;
  return headers;
}

std::optional<TimerRequestHeaders> retry_after_422(const TimerRequestHeaders& sent,
                                                   std::optional<std::uint32_t> min_se_in_422) {
  if (!min_se_in_422 || *min_se_in_422 <= sent.session_expires) return std::nullopt;
  TimerRequestHeaders retry = sent;
  retry.min_se = std::max(*min_se_in_422, sent.min_se.value_or(0));
  retry.session_expires = *min_se_in_422;
  return retry;
}

std::optional<AgreedTimer> agreed_as_uac(const std::optional<SessionExpires>& session_expires_in_2xx) {
  if (!session_expires_in_2xx) return std::nullopt;
  const bool they_refresh = session_expires_in_2xx->refresher == Refresher::Uas;
  return AgreedTimer{session_expires_in_2xx->interval, !they_refresh};
}

std::chrono::milliseconds refresh_delay(std::uint32_t interval) noexcept {
  return std::chrono::milliseconds(static_cast<std::int64_t>(interval) * 500);
}

std::chrono::milliseconds expiry_delay(std::uint32_t interval) noexcept {
  const std::int64_t ms = static_cast<std::int64_t>(interval) * 1000;
  return std::chrono::milliseconds(ms - std::min<std::int64_t>(32'000, ms / 3));
}

}  // namespace voxgate::sip
