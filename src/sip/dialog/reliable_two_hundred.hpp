#pragma once
// The UAS core's retransmission of a 2xx to INVITE until the ACK
// (RFC 3261 §13.3.1.4): the INVITE server transaction ends with the 2xx, so
// the dialog, not the transaction, keeps sending it: first after T1, each
// interval twice the last up to T2, over every transport. The ACK stops it.
// After 64*T1 without ACK the session must end (a BYE): the user hears
// no_ack().
//
// §13.3.1.4 gives the 2xx the schedule that §17.2.1 gives a non-2xx with
// Timers G and H; the two timers are named after them.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::sip {

// T1 and T2 of §17.1.1.1 (RTT estimate, cap on non-INVITE retransmission).
struct TwoHundredTimings {
  Clock::Duration t1 = std::chrono::milliseconds(500);
  Clock::Duration t2 = std::chrono::seconds(4);
};

class ReliableTwoHundred {
 public:
  enum class State : std::uint8_t {
    Idle,           // not started: the 2xx has not been sent
    WaitingForAck,  // sent; Timers G and H running
    Acknowledged,   // the ACK came: done
    NoAck,          // Timer H fired: done, the dialog must end with BYE
  };
  enum class Event : std::uint8_t {
    Sent,    // the 2xx went out for the first time
    TimerG,  // time to send it again
    TimerH,  // 64*T1 passed without ACK
    Ack,     // the ACK matching the 2xx arrived (again, for duplicates)
  };

  // What the machine asks of its owner; called from the timer callbacks.
  class User {
   public:
    virtual ~User() = default;
    // Send the 2xx again, unchanged.
    virtual void retransmit_two_hundred() = 0;
    // 64*T1 without ACK (§13.3.1.4): count it and end the session with BYE.
    // The machine does not touch itself after this call, so the user may
    // destroy it here.
    virtual void two_hundred_not_acknowledged() = 0;
  };

  ReliableTwoHundred(runtime::Timers& timers, User& user, TwoHundredTimings timings = {});
  // Cancels the timers still running.
  ~ReliableTwoHundred();
  // The timers' callbacks point at this object: it stays where it was built.
  ReliableTwoHundred(const ReliableTwoHundred&) = delete;
  ReliableTwoHundred& operator=(const ReliableTwoHundred&) = delete;

  // The 2xx was sent: Idle -> WaitingForAck, arms Timer G (T1) and Timer H (64*T1).
  Result<void> start() { return handle(Event::Sent); }
  // The ACK: WaitingForAck -> Acknowledged, timers cancelled. A duplicate
  // ACK (the peer acknowledges each retransmission) or a late one after
  // Timer H changes nothing.
  Result<void> on_ack() { return handle(Event::Ack); }

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] std::uint32_t retransmissions() const noexcept { return retransmissions_; }
  // The wait before the next retransmission (T1, 2*T1, ... T2).
  [[nodiscard]] Clock::Duration current_interval() const noexcept { return interval_; }

 private:
  Result<void> handle(Event event);
  void arm_timer_g();
  void cancel_timers() noexcept;

  runtime::Timers& timers_;
  User& user_;
  TwoHundredTimings timings_;
  State state_ = State::Idle;
  Clock::Duration interval_;
  std::uint32_t retransmissions_ = 0;
  runtime::TimerId timer_g_{};
  runtime::TimerId timer_h_{};
};

std::string_view to_string(ReliableTwoHundred::State state) noexcept;
std::string_view to_string(ReliableTwoHundred::Event event) noexcept;

}  // namespace voxgate::sip
