// The physical limit of the media benchmark (bench/media_load/README.md): the
// least code that moves the packets `voxgate serve` moves in an echo call,
// so the two can be compared in the same run.
//
//   voxgate_udp_echo echo --sockets N --base-port P    # the "gateway"
//   voxgate_udp_echo load --sockets N --base-port P --seconds S   # the "callers"
//
// echo: one thread, N UDP sockets bound to P .. P+N-1 (one per call, as RTP
// ports are), one level-triggered epoll over all of them; every datagram is
// sent straight back to its source with recvfrom/sendto. Until SIGTERM or
// SIGINT (or --seconds), then one JSON line: packets, errors, CPU seconds.
//
// Why epoll over N sockets and not recvmmsg/sendmmsg on one socket: a
// gateway's calls each have their own RTP port (it is in the SDP), so
// voxgate can never batch several calls' packets into one syscall; each call
// sends and receives about one datagram per 20 ms, so even recvmmsg per
// ready socket would find one datagram. What a media gateway cannot go
// below is one epoll wake-up shared by many ready sockets plus one receive
// and one send per packet, which is exactly this loop (without codecs,
// jitter buffers, RTCP, timers or an app). One socket with recvmmsg would
// measure a ceiling no gateway with per-call ports can reach.
//
// load: one thread, N sockets connected to the echo's ports; every 20-ms
// tick (a timerfd with absolute deadlines, catching up at most 5 missed
// ticks, like voxgate's MediaClock) sends one 172-byte datagram (an RTP
// header and 20 ms of G.711) on every socket, and reads the echoes. Prints
// one JSON line: sent, received, lost, send-tick lateness p50/p99/max (the
// same 1-ms histogram as MediaClockStats), round-trip p50/p99/max, CPU.
//
// Standard Linux API and the voxgate_media_engine histogram only.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "media/engine/media_clock.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kPacketBytes = 172;  // 12-byte RTP header + 160 bytes of G.711 (20 ms at 8 kHz)
constexpr std::uint32_t kMaxCatchUp = 5;   // as MediaClockSettings::max_catch_up
constexpr int kMaxEvents = 1024;

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int /*signal*/) {
  g_stop = 1;
}

struct Options {
  std::string mode;  // echo or load
  std::string address = "127.0.0.1";
  std::uint32_t sockets = 100;
  std::uint32_t base_port = 16000;
  double seconds = 0;  // echo: 0 = until a signal
  std::uint32_t tick_ms = 20;
  std::uint32_t per_tick = 1;  // datagrams per socket per tick
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// strerror(errno), thread-safely.
std::string error_text() {
  return std::system_category().message(errno);
}

double as_ms(voxgate::Clock::Duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::optional<sockaddr_in> ipv4(const std::string& address, std::uint32_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) return std::nullopt;
  return sa;
}

// A non-blocking UDP socket, bound to `local` (port 0: any); -1 on error.
int udp_socket(const sockaddr_in& local) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool watch(int epoll_fd, int fd, std::uint64_t tag) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = tag;
  return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

int run_echo(const Options& options) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  std::vector<int> sockets;
  sockets.reserve(options.sockets);
  for (std::uint32_t i = 0; i < options.sockets; ++i) {
    const auto local = ipv4(options.address, options.base_port + i);
    const int fd = local ? udp_socket(*local) : -1;
    if (fd < 0 || !watch(epoll_fd, fd, i)) {
      std::fprintf(stderr, "udp_echo: cannot bind %s:%u: %s\n", options.address.c_str(), options.base_port + i,
                   error_text().c_str());
      return 2;
    }
    sockets.push_back(fd);
  }
  std::fprintf(stderr, "udp_echo: ready, %u sockets from %s:%u\n", options.sockets, options.address.c_str(),
               options.base_port);
  const SteadyClock::time_point end = options.seconds > 0
                                          ? SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                                     std::chrono::duration<double>(options.seconds))
                                          : SteadyClock::time_point::max();
  std::array<epoll_event, kMaxEvents> events{};
  std::array<std::uint8_t, 2048> buffer{};
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t wakeups = 0;
  while (g_stop == 0 && SteadyClock::now() < end) {
    const int ready = epoll_wait(epoll_fd, events.data(), kMaxEvents, 100);
    if (ready < 0) continue;  // EINTR: the signal, checked above
    ++wakeups;
    for (int e = 0; e < ready; ++e) {
      const int fd = sockets[events[static_cast<std::size_t>(e)].data.u64];
      for (;;) {  // drain: level-triggered would wake us again anyway
        sockaddr_in source{};
        socklen_t source_size = sizeof source;
        const ssize_t n =
            recvfrom(fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&source), &source_size);
        if (n < 0) break;
        ++received;
        if (sendto(fd, buffer.data(), static_cast<std::size_t>(n), 0, reinterpret_cast<const sockaddr*>(&source),
                   source_size) == n) {
          ++sent;
        } else {
          ++send_errors;
        }
      }
    }
  }
  std::printf(
      "{\"mode\": \"echo\", \"sockets\": %u, \"received\": %llu, \"sent\": %llu, \"send_errors\": %llu, "
      "\"wakeups\": %llu, \"cpu_s\": %.3f}\n",
      options.sockets, static_cast<unsigned long long>(received), static_cast<unsigned long long>(sent),
      static_cast<unsigned long long>(send_errors), static_cast<unsigned long long>(wakeups), cpu_seconds());
  for (const int fd : sockets) close(fd);
  close(epoll_fd);
  return 0;
}

// Round trips in 10-us buckets up to 50 ms, the rest in the last one.
class RoundTrips {
 public:
  void record(std::chrono::nanoseconds rtt) {
    const auto bucket = static_cast<std::size_t>(std::max<std::int64_t>(0, rtt.count() / 10'000));
    ++counts_[std::min(bucket, counts_.size() - 1)];
    ++total_;
    max_ = std::max(max_, rtt);
  }
  [[nodiscard]] double percentile_ms(double percent) const {
    if (total_ == 0) return 0;
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(percent / 100 * total_ + 0.999999));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i + 1 < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(static_cast<double>(i + 1) * 0.01, max_ms());
    }
    return max_ms();
  }
  [[nodiscard]] double max_ms() const { return std::chrono::duration<double, std::milli>(max_).count(); }

 private:
  std::array<std::uint64_t, 5001> counts_{};
  std::uint64_t total_ = 0;
  std::chrono::nanoseconds max_{};
};

struct Packet {  // what travels in the first bytes of each datagram
  std::uint32_t sequence;
  std::int64_t sent_ns;  // since the run started
};

int run_load(const Options& options) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  const auto any = ipv4(options.address, 0);
  if (!any) {
    std::fprintf(stderr, "udp_echo: bad address %s\n", options.address.c_str());
    return 2;
  }
  std::vector<int> sockets;
  sockets.reserve(options.sockets);
  for (std::uint32_t i = 0; i < options.sockets; ++i) {
    const auto remote = ipv4(options.address, options.base_port + i);
    const int fd = udp_socket(*any);
    if (fd < 0 || !remote || connect(fd, reinterpret_cast<const sockaddr*>(&*remote), sizeof *remote) != 0 ||
        !watch(epoll_fd, fd, i)) {
      std::fprintf(stderr, "udp_echo: socket %u: %s\n", i, error_text().c_str());
      return 2;
    }
    sockets.push_back(fd);
  }
  const int timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  const std::uint64_t timer_tag = options.sockets;
  if (timer_fd < 0 || !watch(epoll_fd, timer_fd, timer_tag)) {
    std::fprintf(stderr, "udp_echo: timerfd: %s\n", error_text().c_str());
    return 2;
  }
  const auto period = std::chrono::milliseconds(options.tick_ms);
  const SteadyClock::time_point start = SteadyClock::now();
  // The timerfd counts on CLOCK_MONOTONIC, which steady_clock reads.
  const auto to_timespec = [](SteadyClock::time_point t) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  };
  itimerspec spec{};
  spec.it_value = to_timespec(start + period);
  spec.it_interval = timespec{0, static_cast<long>(std::chrono::nanoseconds(period).count())};
  timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr);

  const auto total_ticks = static_cast<std::uint64_t>(options.seconds * 1000 / options.tick_ms);
  std::vector<std::uint32_t> next_sequence(options.sockets, 0);
  voxgate::media::MediaClockStats clock;
  RoundTrips round_trips;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t next_tick = 1;
  std::array<std::uint8_t, kPacketBytes> packet{};
  packet[0] = 0x80;  // RTP version 2
  std::array<std::uint8_t, 2048> buffer{};
  std::array<epoll_event, kMaxEvents> events{};

  const auto send_tick = [&] {
    const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start).count();
    for (std::uint32_t i = 0; i < options.sockets; ++i) {
      for (std::uint32_t k = 0; k < options.per_tick; ++k) {
        const Packet header{next_sequence[i]++, now_ns};
        std::memcpy(packet.data() + 12, &header, sizeof header);
        if (send(sockets[i], packet.data(), packet.size(), 0) == static_cast<ssize_t>(packet.size())) {
          ++sent;
        } else {
          ++send_errors;
        }
      }
    }
  };
  const auto receive_all = [&](int fd) {
    for (;;) {
      const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
      if (n < 0) return;
      ++received;
      if (static_cast<std::size_t>(n) < 12 + sizeof(Packet)) continue;
      Packet header{};
      std::memcpy(&header, buffer.data() + 12, sizeof header);
      const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start).count();
      round_trips.record(std::chrono::nanoseconds(now_ns - header.sent_ns));
    }
  };

  // Sending: total_ticks ticks; then 300 ms more to collect the last echoes.
  SteadyClock::time_point drain_until = SteadyClock::time_point::max();
  while (g_stop == 0 && SteadyClock::now() < drain_until) {
    const int ready = epoll_wait(epoll_fd, events.data(), kMaxEvents, 50);
    if (ready < 0) continue;
    for (int e = 0; e < ready; ++e) {
      const std::uint64_t tag = events[static_cast<std::size_t>(e)].data.u64;
      if (tag != timer_tag) {
        receive_all(sockets[tag]);
        continue;
      }
      std::uint64_t expirations = 0;
      if (read(timer_fd, &expirations, sizeof expirations) != sizeof expirations) continue;
      if (next_tick > total_ticks) continue;
      const SteadyClock::time_point now = SteadyClock::now();
      const auto due_ticks = static_cast<std::uint64_t>((now - start) / period);
      if (due_ticks >= next_tick + kMaxCatchUp) {
        const std::uint64_t first_kept = due_ticks - kMaxCatchUp + 1;
        clock.skipped += first_kept - next_tick;
        next_tick = first_kept;
      }
      for (; next_tick <= due_ticks && next_tick <= total_ticks; ++next_tick) {
        clock.record(now - (start + period * static_cast<std::int64_t>(next_tick)));
        send_tick();
      }
      if (next_tick > total_ticks) drain_until = SteadyClock::now() + std::chrono::milliseconds(300);
    }
  }
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const std::uint64_t lost = sent > received ? sent - received : 0;
  std::printf(
      "{\"mode\": \"load\", \"sockets\": %u, \"pps_each_way\": %.0f, \"seconds\": %.3f, \"sent\": %llu, "
      "\"received\": %llu, \"lost\": %llu, \"loss_ratio\": %.6f, \"send_errors\": %llu, "
      "\"clock\": {\"ticks\": %llu, \"skipped\": %llu, \"late_over_5ms\": %llu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
      "\"max_ms\": %.3f}, \"rtt\": {\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}, \"cpu_s\": %.3f}\n",
      options.sockets, options.sockets * options.per_tick * 1000.0 / options.tick_ms, elapsed,
      static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received),
      static_cast<unsigned long long>(lost), sent > 0 ? static_cast<double>(lost) / static_cast<double>(sent) : 0.0,
      static_cast<unsigned long long>(send_errors), static_cast<unsigned long long>(clock.ticks),
      static_cast<unsigned long long>(clock.skipped), static_cast<unsigned long long>(clock.late_over_5ms),
      as_ms(clock.lateness_percentile(50)), as_ms(clock.lateness_percentile(99)), as_ms(clock.max_lateness),
      round_trips.percentile_ms(50), round_trips.percentile_ms(99), round_trips.max_ms(), cpu_seconds());
  for (const int fd : sockets) close(fd);
  close(timer_fd);
  close(epoll_fd);
  return lost == 0 && send_errors == 0 ? 0 : 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: voxgate_udp_echo echo|load [--address A] [--sockets N] [--base-port P] [--seconds S]\n"
               "                        [--tick-ms 20] [--per-tick 1]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  Options options;
  options.mode = std::string(args[0]);
  if (options.mode != "echo" && options.mode != "load") return usage();
  try {
    for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
      const std::string_view key = args[i];
      const std::string value(args[i + 1]);
      if (key == "--address") {
        options.address = value;
      } else if (key == "--sockets") {
        options.sockets = static_cast<std::uint32_t>(std::stoul(value));
      } else if (key == "--base-port") {
        options.base_port = static_cast<std::uint32_t>(std::stoul(value));
      } else if (key == "--seconds") {
        options.seconds = std::stod(value);
      } else if (key == "--tick-ms") {
        options.tick_ms = static_cast<std::uint32_t>(std::stoul(value));
      } else if (key == "--per-tick") {
        options.per_tick = static_cast<std::uint32_t>(std::stoul(value));
      } else {
        return usage();
      }
    }
  } catch (const std::exception&) {
    return usage();
  }
  if (args.size() % 2 == 0 || options.sockets == 0 || options.tick_ms == 0 || options.base_port == 0 ||
      options.base_port + options.sockets > 65536 || (options.mode == "load" && options.seconds <= 0)) {
    return usage();
  }
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  return options.mode == "echo" ? run_echo(options) : run_load(options);
}
