#include "runtime/shutdown_signal.hpp"

#include <csignal>

#include <gtest/gtest.h>

namespace voxgate::runtime {
namespace {

TEST(ShutdownSignal, DeliversSigtermAsALoopEvent) {
  EventLoop loop("main");
  int received = 0;
  ShutdownSignal shutdown(loop, [&](int signal_number) {
    received = signal_number;
    loop.stop();
  });
  loop.post([] { std::raise(SIGTERM); });
  loop.run();
  EXPECT_EQ(received, SIGTERM);
}

}  // namespace
}  // namespace voxgate::runtime
