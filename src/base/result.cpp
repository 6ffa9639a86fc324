#include "base/result.hpp"

namespace voxgate {

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidArgument: return "invalid argument";
    case Errc::NotFound: return "not found";
    case Errc::InvalidState: return "invalid state";
    case Errc::LimitExceeded: return "limit exceeded";
    case Errc::Unsupported: return "unsupported";
    case Errc::Timeout: return "timeout";
    case Errc::Io: return "i/o error";
    case Errc::Internal: return "internal error";
  }
  return "unknown error";
}

}  // namespace voxgate
