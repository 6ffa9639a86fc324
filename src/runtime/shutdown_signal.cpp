#include "runtime/shutdown_signal.hpp"

#include <csignal>

namespace voxgate::runtime {

ShutdownSignal::ShutdownSignal(EventLoop& loop, Handler on_signal)
    : signals_(loop.context(), SIGINT, SIGTERM), on_signal_(std::move(on_signal)) {
  arm();
}

void ShutdownSignal::arm() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;  // cancelled: the loop is going away
    on_signal_(signal_number);
    arm();  // a second SIGTERM during a drain is still delivered
  });
}

}  // namespace voxgate::runtime
