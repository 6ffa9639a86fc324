#pragma once
// The life of one TCP connection, as an explicit state machine: one state
// variable, an event type, a transition table. Invalid transitions are errors
// naming both, so a bug shows up as a clear failure instead of a socket used
// after close.
//
//   Connecting --Connected--> Open --DrainRequested--> Draining --Flushed--> Closed
//        |                     |                          |
//        +--ConnectFailed------+--Failed / CloseNow-------+--Failed / CloseNow--> Closed

#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace voxgate::sip {

enum class TcpState : std::uint8_t {
  Connecting,  // outbound, connect in progress: sends are queued
  Open,        // reading and writing
  Draining,    // no more reads; close once the output queue is written (after a final 400)
  Closed,
};

enum class TcpEvent : std::uint8_t {
  Connected,       // the outbound connect completed
  ConnectFailed,   // refused, unreachable, or the connect timeout
  Failed,          // read/write error, reset, end of stream
  DrainRequested,  // send what is queued, then close
  Flushed,         // the output queue became empty
  CloseNow,        // idle timeout, a limit, the transport stopping
};

std::string_view to_string(TcpState state) noexcept;
std::string_view to_string(TcpEvent event) noexcept;

Result<TcpState> tcp_transition(TcpState state, TcpEvent event);

}  // namespace voxgate::sip
