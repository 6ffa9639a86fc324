#include "sip/transaction/timer_settings.hpp"

namespace voxgate::sip {

Result<void> validate(const TimerSettings& settings) {
  using Duration = Clock::Duration;
  if (settings.t1 <= Duration::zero()) return make_error(Errc::InvalidArgument, "T1 must be positive");
  if (settings.t2 < settings.t1) return make_error(Errc::InvalidArgument, "T2 must not be shorter than T1");
  if (settings.t4 < Duration::zero()) return make_error(Errc::InvalidArgument, "T4 must not be negative");
  if (settings.timer_d < Duration::zero()) return make_error(Errc::InvalidArgument, "Timer D must not be negative");
  return {};
}

std::string_view to_string(TimerName name) noexcept {
  switch (name) {
    case TimerName::A: return "Timer A";
    case TimerName::B: return "Timer B";
    case TimerName::D: return "Timer D";
    case TimerName::E: return "Timer E";
    case TimerName::F: return "Timer F";
    case TimerName::G: return "Timer G";
    case TimerName::H: return "Timer H";
    case TimerName::I: return "Timer I";
    case TimerName::J: return "Timer J";
    case TimerName::K: return "Timer K";
    case TimerName::L: return "Timer L";
    case TimerName::M: return "Timer M";
    case TimerName::CancelGuard: return "CANCEL guard";
  }
  return "?";
}

}  // namespace voxgate::sip
