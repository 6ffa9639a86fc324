#include "sip/dialog/reliable_two_hundred.hpp"

#include <algorithm>

namespace voxgate::sip {

std::string_view to_string(ReliableTwoHundred::State state) noexcept {
  using enum ReliableTwoHundred::State;
  switch (state) {
    case Idle: return "Idle";
    case WaitingForAck: return "WaitingForAck";
    case Acknowledged: return "Acknowledged";
    case NoAck: return "NoAck";
  }
  return "Unknown";
}

std::string_view to_string(ReliableTwoHundred::Event event) noexcept {
  using enum ReliableTwoHundred::Event;  // not an alias: sip::Event is the Event header's type
  switch (event) {
    case Sent: return "Sent";
    case TimerG: return "TimerG";
    case TimerH: return "TimerH";
    case Ack: return "Ack";
  }
  return "Unknown";
}

ReliableTwoHundred::ReliableTwoHundred(runtime::Timers& timers, User& user, TwoHundredTimings timings)
    : timers_(timers), user_(user), timings_(timings), interval_(timings.t1) {}

ReliableTwoHundred::~ReliableTwoHundred() {
  cancel_timers();
}

void ReliableTwoHundred::arm_timer_g() {
  timer_g_ = timers_.schedule(interval_, [this] {
    timer_g_ = {};
    (void)handle(Event::TimerG);  // only armed while WaitingForAck
  });
}

void ReliableTwoHundred::cancel_timers() noexcept {
  timers_.cancel(timer_g_);
  timers_.cancel(timer_h_);
  timer_g_ = {};
  timer_h_ = {};
}

Result<void> ReliableTwoHundred::handle(Event event) {
  switch (state_) {
    case State::Idle:
      if (event == Event::Sent) {
        state_ = State::WaitingForAck;
        interval_ = timings_.t1;
        arm_timer_g();
        timer_h_ = timers_.schedule(64 * timings_.t1, [this] {
          timer_h_ = {};
          (void)handle(Event::TimerH);
        });
        return {};
      }
      break;
    case State::WaitingForAck:
      switch (event) {
        case Event::TimerG:
          ++retransmissions_;
          interval_ = std::min(interval_ * 2, timings_.t2);
          arm_timer_g();
          user_.retransmit_two_hundred();
          return {};
        case Event::Ack:
          state_ = State::Acknowledged;
          cancel_timers();
          return {};
        case Event::TimerH:
          state_ = State::NoAck;
          cancel_timers();
          user_.two_hundred_not_acknowledged();  // last: the user may destroy us
          return {};
        case Event::Sent: break;
      }
      break;
    case State::Acknowledged:
    case State::NoAck:
      if (event == Event::Ack) return {};
      break;
  }
  return make_error(Errc::InvalidState, "2xx retransmission: event {} is invalid in state {}", to_string(event),
                    to_string(state_));
}

}  // namespace voxgate::sip
