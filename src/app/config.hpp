#pragma once
// voxgate's configuration: one TOML file (toml++), every setting with an
// embedded default so `voxgate serve` runs with no file at all. Loading
// validates everything and names the key and the problem on error; an
// unknown key is an error too, so a typo never silently falls back to a
// default.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/routing_config.hpp"
#include "base/result.hpp"
#include "bot/call/bot_settings.hpp"
#include "bot/stream/stream_settings.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::app {

// One SIP listener: "udp:127.0.0.1:5060", "tcp:[::1]:5070".
struct ListenSpec {
  sip::TransportKind transport = sip::TransportKind::Udp;
  std::string address;
  std::uint16_t port = 5060;

  friend bool operator==(const ListenSpec&, const ListenSpec&) = default;
};

Result<ListenSpec> parse_listen_spec(std::string_view text);
// The API's "address:port" ("127.0.0.1:8080", "[::1]:8080"; port 0: any).
Result<std::pair<std::string, std::uint16_t>> parse_api_listen(std::string_view text);
std::string to_string(const ListenSpec& spec);

struct SipConfig {
  std::vector<ListenSpec> listen{{sip::TransportKind::Udp, "127.0.0.1", 5060},
                                 {sip::TransportKind::Tcp, "127.0.0.1", 5060}};
  // RFC 3261 §17.1.1.1 timer values.
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
  std::string user_agent = "voxgate";
};

// Above these, new requests are answered 503 with Retry-After (RFC 3261
// §21.5.4) instead of degrading every call.
struct LimitsConfig {
  std::uint32_t max_calls = 20000;
  // Sessions at once from one calling party (From URI; beyond: 486) and one
  // source address (beyond: 503); 0: no limit.
  std::uint32_t max_calls_per_party = 0;
  std::uint32_t max_calls_per_source = 0;
  double per_source_rate = 5000;  // new requests per second from one IP
  std::uint32_t per_source_burst = 10000;
  std::uint32_t max_tcp_connections = 4096;
  std::uint32_t max_tcp_connections_per_ip = 1024;
  std::chrono::seconds retry_after{5};
};

// What serves a call: the built-in media apps (src/media/apps), or the
// voice bot of [bot] (src/bot), which speaks over silence.
enum class MediaAppKind : std::uint8_t { Echo, Tone, Silence, Play, Record, Bot, Stream };
std::string_view to_string(MediaAppKind kind) noexcept;
// The kind named `name` as the configuration spells it ("echo"...); nullopt if none.
std::optional<MediaAppKind> media_app_from_name(std::string_view name);

struct MediaConfig {
  std::string address = "127.0.0.1";   // the c= address we offer/answer
  std::uint16_t rtp_port_min = 20000;  // even ports in [min, max] (RFC 3550 §11)
  std::uint16_t rtp_port_max = 29999;
  std::uint32_t ptime_ms = 20;
  // Names as SDP spells them: PCMU, PCMA, G722, opus, telephone-event.
  std::vector<std::string> codecs{"PCMU", "PCMA", "G722", "opus", "telephone-event"};
  bool rtcp_mux = true;  // offer it, and accept it when offered (RFC 5761)

  // What serves each call; the embedded default is the demo menu bot
  // (`make run`), which needs bootstrap's speech packages.
  MediaAppKind app = MediaAppKind::Bot;
  std::uint32_t app_rate = 8000;  // the PCM rate apps see (resampled from/to the codec's)
  double tone_hz = 440;           // app = "tone"
  std::string play_file;          // app = "play": a WAV (any rate)
  bool play_loop = true;          // false: play once, then hang up
  // Non-empty: every call is recorded to <record_dir>/<Call-ID>.wav
  // (app = "record" records and plays silence; other apps are recorded
  // too).
  std::string record_dir;
  bool record_stereo = false;  // left the caller, right what voxgate sent
  // No RTP from the peer for this long ends the call (0: never).
  std::chrono::milliseconds media_timeout{30000};
  bool inband_dtmf = true;  // detect DTMF tones in the audio when no telephone-event was agreed
};

// What `voxgate serve` does with an incoming call until the session layer
// and its routing arrive.
struct AnswerConfig {
  std::chrono::milliseconds answer_delay{0};  // ring this long before 200
};

// RFC 4028 session timers (docs/SESSIONS.md). Seed 000's environment
// variables SESSION_TIMEOUT_SEC and SESSION_MIN_SE override the file
// (apply_environment).
struct SessionTimerConfig {
  std::uint32_t interval = 1800;  // asked for, imposed when a call asks none; 0: none unless the peer asks
  std::uint32_t min_se = 90;      // the shortest interval accepted; below it, 422
  bool prefer_to_refresh = true;  // refresher = "us" (default) or "peer" when a call leaves the choice
  // Min-SE below RFC 4028's 90 s, so tests of expiry run in seconds.
  bool allow_min_se_below_rfc_minimum = false;
};

// The control plane (docs/API.md).
struct ApiConfig {
  // "address:port" of the REST/WebSocket API; "" turns it off. Bound
  // anywhere but loopback, at least one token is required.
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> tokens;  // bearer tokens (RFC 6750); VOXGATE_API_TOKENS="a,b"
  std::uint32_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds request_timeout{10000};
  std::uint32_t event_history = 10000;  // events kept for /v1/events clients to resume from
  // Scheduling niceness of the API thread (0-19; setpriority(2) on that
  // thread alone). When the CPUs are busy, the SIP and media loops come
  // first: an API client can wait a millisecond, a call setup should not.
  int nice = 19;
};

struct CdrConfig {
  std::string path = "voxgate-cdr.db";  // SQLite file; "" records none
};

// SIGTERM: new calls get 503 at once; calls in progress may run this long,
// then get BYE (CANCEL, 480) before the process exits.
struct ShutdownConfig {
  std::chrono::milliseconds drain_timeout{30000};
};

struct GatewayConfig {
  std::uint32_t worker_threads = 0;  // 0: one per core
  SipConfig sip;
  SessionTimerConfig session_timer;
  LimitsConfig limits;
  MediaConfig media;
  AnswerConfig answer;
  ApiConfig api;
  CdrConfig cdr;
  ShutdownConfig shutdown;
  // [[routes]] in order (routing_config.hpp); empty: every call gets the
  // [media] app after [answer] delay_ms.
  std::vector<RouteConfig> routes;
  bot::BotSettings bot;        // [bot] (bot_config.hpp): the profile "default"
  bot::BotProfiles bots;       // [bots.<name>]: the other profiles a route's `bot` names
  bot::StreamSettings stream;  // [stream] (stream_config.hpp)
};

// Whether any call can be served by the bot ([media] app or a route's, or
// a stream's fallback): only then is the speech model loaded.
[[nodiscard]] bool uses_bot(const GatewayConfig& config) noexcept;
// Whether any call can be streamed to a bot ([media] app or a route's, or
// the API when [stream] names a url).
[[nodiscard]] bool uses_stream(const GatewayConfig& config) noexcept;

// Parses TOML text; `source` names it in error messages (a path, "<string>").
Result<GatewayConfig> parse_config(std::string_view toml_text, std::string_view source = "<string>");
Result<GatewayConfig> load_config_file(const std::string& path);

// Settings from the environment: seed 000's SESSION_TIMEOUT_SEC (the
// session timer interval, 0 = none) and SESSION_MIN_SE, and
// VOXGATE_API_LISTEN, VOXGATE_API_TOKENS (comma-separated), VOXGATE_CDR_PATH,
// VOXGATE_DRAIN_TIMEOUT_MS, VOXGATE_WORKER_THREADS. `getenv` is
// injected for tests. Fails on a value that is not a number in range.
using EnvironmentLookup = std::function<const char*(const char*)>;
Result<void> apply_environment(GatewayConfig& config, const EnvironmentLookup& getenv);

// Checks cross-field rules (ports ordered, T1 <= T2, ...); parse_config runs
// it, and callers that edit a config afterwards (command-line overrides) run
// it again.
Result<void> validate(const GatewayConfig& config);

}  // namespace voxgate::app
