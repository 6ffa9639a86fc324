// voxgate: the process entry point. main() parses the command line, builds
// the root logger and hands both to the command; nothing global is created
// anywhere else (DEVELOPERS.md, "main wires everything").

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/call_command.hpp"
#include "app/check_config_command.hpp"
#include "app/hangup_command.hpp"
#include "app/media_load_command.hpp"
#include "app/parse_command.hpp"
#include "app/serve_command.hpp"
#include "app/sessions_command.hpp"
#include "app/version.hpp"
#include "base/log.hpp"

int main(int argc, char** argv) {
  using namespace voxgate;
  CLI::App cli{"voxgate: a voice-session gateway"};
  cli.require_subcommand(1);

  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")->capture_default_str();

  app::ServeOptions serve_options;
  auto* serve = cli.add_subcommand("serve", "run the gateway (embedded defaults unless --config)");
  serve->add_option("--config", serve_options.config_path, "TOML configuration file");
  serve->add_option("--listen", serve_options.listen, "listener, repeatable: udp:127.0.0.1:5060, tcp:[::1]:5060");
  serve->add_option("--threads", serve_options.worker_threads, "worker loops (0: one per core)");

  app::CallOptions call_options;
  auto* call = cli.add_subcommand("call", "place one call, hold it, hang up, print the outcome");
  call->add_option("target", call_options.target, "Request-URI, e.g. sip:bob@127.0.0.1:5070")->required();
  call->add_option("--transport", call_options.transport, "udp or tcp")->capture_default_str();
  call->add_option("--timeout-ms", call_options.timeout_ms, "CANCEL when unanswered this long (reported as 408)")
      ->capture_default_str();
  call->add_option("--duration-ms", call_options.duration_ms, "hold the answered call this long")
      ->capture_default_str();
  call->add_option("--bind", call_options.bind, "our SIP and RTP address")->capture_default_str();
  call->add_option("--from", call_options.from, "our From URI (default sip:voxgate@<bind>)");
  call->add_option("--config", call_options.config_path, "TOML configuration file (media, timers)");
  call->add_option("--record", call_options.record_path, "record what the peer sends to this WAV file");
  call->add_option("--dtmf", call_options.dtmf, "digits to send as RFC 4733 events once answered");
  call->add_option("--hold-after-ms", call_options.hold_after_ms,
                   "put the call on hold (re-INVITE) this long after the answer");
  call->add_option("--resume-after-ms", call_options.resume_after_ms, "take it off hold this long after the answer");

  app::MediaLoadOptions load_options;
  auto* media_load =
      cli.add_subcommand("media-load", "place N calls with RTP (a tone), hold them, hang up, print JSON stats");
  media_load->add_option("target", load_options.target, "Request-URI, e.g. sip:echo@127.0.0.1:5070")->required();
  media_load->add_option("--calls", load_options.calls, "calls to place")->capture_default_str();
  media_load->add_option("--rate", load_options.rate, "calls placed per second")->capture_default_str();
  media_load->add_option("--hold-ms", load_options.hold_ms, "hold every call this long after the last is answered")
      ->capture_default_str();
  media_load->add_option("--bind", load_options.bind, "our SIP and RTP address")->capture_default_str();
  media_load->add_option("--config", load_options.config_path, "TOML configuration file (media: codecs, RTP ports)");
  media_load->add_option("--threads", load_options.threads, "worker loops, one SIP stack each")->capture_default_str();
  media_load->add_option("--timeout-s", load_options.timeout_s, "bound of the whole run (0: calls/rate + hold + 60 s)")
      ->capture_default_str();

  app::ParseCommandOptions parse_options;
  std::string parse_input = "-";
  auto* parse = cli.add_subcommand("parse", "parse a SIP message and print what a UAS would do with it");
  parse->add_option("file", parse_input, "file holding the message ('-' for stdin)")->capture_default_str();
  parse->add_flag("--stream", parse_options.stream, "frame as a stream transport (Content-Length required)");

  app::SessionsOptions sessions_options;
  auto* sessions = cli.add_subcommand("sessions", "list the running gateway's sessions (GET /v1/sessions)");
  sessions->add_option("--state", sessions_options.states,
                       "states, comma-separated or repeated: initializing, dialing, ringing, early, connected, "
                       "on_hold, transferring, terminating, terminated");
  sessions->add_option("--direction", sessions_options.direction, "inbound or outbound")
      ->check(CLI::IsMember({"inbound", "outbound"}));
  sessions->add_option("--from", sessions_options.from, "substring of the caller's URI");
  sessions->add_option("--to", sessions_options.to, "substring of the callee's URI");
  sessions->add_option("--meta", sessions_options.meta, "key=value metadata, repeatable (all must hold)");
  sessions->add_option("--limit", sessions_options.limit, "sessions per page, 1-1000 (the API's default: 100)")
      ->check(CLI::Range(1, 1000));
  sessions->add_flag("--all", sessions_options.all, "every page (follows next_cursor), not only the first");
  sessions->add_flag("--json", sessions_options.json, "print the JSON array of sessions instead of a table");
  app::add_api_endpoint_options(
      *sessions, sessions_options.endpoint,
      "AGE/DURATION: a live session's age, an ended one's talk time (answer to end; '-' if never answered). Exit "
      "code 0 when listed, 1 when the API refused (its error code is printed) or could not be reached, 2 for a "
      "usage error.");

  app::HangupOptions hangup_options;
  auto* hangup = cli.add_subcommand("hangup", "hang up a session of the running gateway (DELETE /v1/sessions/ID)");
  hangup->add_option("id", hangup_options.id, "the session's id, as `voxgate sessions` lists it")->required();
  hangup->add_option("--reason", hangup_options.reason, "a Reason header value (RFC 3326): \"Q.850;cause=16\"");
  hangup->add_flag("--json", hangup_options.json, "print the outcome (or the API's error) as JSON");
  app::add_api_endpoint_options(*hangup, hangup_options.endpoint,
                                "Exit code 0 when the API accepted (204), 1 when it refused (its error code is "
                                "printed: SESSION_NOT_FOUND, INVALID_STATE, ...) or could not be reached, 2 for a "
                                "usage error.");

  app::CheckConfigOptions check_options;
  auto* check_config = cli.add_subcommand(
      "check-config",
      "validate the configuration as serve would (file and environment), print a summary; exit 2 if bad");
  check_config->add_option("--config", check_options.config_path,
                           "TOML configuration file (default: embedded defaults)");
  check_config->add_flag("--json", check_options.json, "print the summary (or the error) as JSON");

  auto* version = cli.add_subcommand("version", "print the version");

  CLI11_PARSE(cli, argc, argv);

  const auto level = parse_log_level(log_level);
  if (!level) {
    std::cerr << "voxgate: unknown log level '" << log_level << "'\n";
    return 2;
  }
  const Logger log = make_stderr_logger("voxgate", *level);

  if (*version) {
    std::cout << "voxgate " << app::kVersion << "\n";
    return 0;
  }
  if (*serve) return app::run_serve(serve_options, log);
  if (*call) return app::run_call(call_options, log, std::cout);
  // Nothing in voxgate calls setenv(): reading the environment is safe.
  const app::EnvironmentLookup environment = [](const char* name) {
    return std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  };
  if (*sessions) return app::run_sessions(sessions_options, environment, std::cout, std::cerr);
  if (*hangup) return app::run_hangup(hangup_options, environment, std::cout, std::cerr);
  if (*check_config) return app::run_check_config(check_options, environment, std::cout, std::cerr);
  if (*media_load) return app::run_media_load(load_options, log, std::cout, std::cerr);
  if (*parse) {
    std::string bytes;
    if (parse_input == "-") {
      bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(parse_input, std::ios::binary);
      if (!in) {
        std::cerr << "voxgate: cannot open " << parse_input << "\n";
        return 2;
      }
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return app::run_parse(bytes, parse_options, std::cout);
  }
  return 0;
}
