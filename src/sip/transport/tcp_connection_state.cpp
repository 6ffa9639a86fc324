#include "sip/transport/tcp_connection_state.hpp"

namespace voxgate::sip {

std::string_view to_string(TcpState state) noexcept {
  switch (state) {
    case TcpState::Connecting: return "Connecting";
    case TcpState::Open: return "Open";
    case TcpState::Draining: return "Draining";
    case TcpState::Closed: return "Closed";
  }
  return "?";
}

std::string_view to_string(TcpEvent event) noexcept {
  switch (event) {
    case TcpEvent::Connected: return "Connected";
    case TcpEvent::ConnectFailed: return "ConnectFailed";
    case TcpEvent::Failed: return "Failed";
    case TcpEvent::DrainRequested: return "DrainRequested";
    case TcpEvent::Flushed: return "Flushed";
    case TcpEvent::CloseNow: return "CloseNow";
  }
  return "?";
}

Result<TcpState> tcp_transition(TcpState state, TcpEvent event) {
  switch (state) {
    case TcpState::Connecting:
      switch (event) {
        case TcpEvent::Connected: return TcpState::Open;
        case TcpEvent::ConnectFailed:
        case TcpEvent::Failed:
        case TcpEvent::CloseNow: return TcpState::Closed;
        case TcpEvent::DrainRequested:
        case TcpEvent::Flushed: break;
      }
      break;
    case TcpState::Open:
      switch (event) {
        case TcpEvent::DrainRequested: return TcpState::Draining;
        case TcpEvent::Failed:
        case TcpEvent::CloseNow: return TcpState::Closed;
        case TcpEvent::Connected:
        case TcpEvent::ConnectFailed:
        case TcpEvent::Flushed: break;
      }
      break;
    case TcpState::Draining:
      switch (event) {
        case TcpEvent::Flushed:
        case TcpEvent::Failed:
        case TcpEvent::CloseNow: return TcpState::Closed;
        case TcpEvent::Connected:
        case TcpEvent::ConnectFailed:
        case TcpEvent::DrainRequested: break;
      }
      break;
    case TcpState::Closed: break;
  }
  return make_error(Errc::InvalidState, "TCP connection: event {} is invalid in state {}", to_string(event),
                    to_string(state));
}

}  // namespace voxgate::sip
