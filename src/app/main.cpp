// voxgate: the process entry point. main() parses the command line, builds
// the root logger and hands both to the command; nothing global is created
// anywhere else (DEVELOPERS.md, "main wires everything").

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/parse_command.hpp"
#include "app/serve_command.hpp"
#include "app/version.hpp"
#include "base/log.hpp"

int main(int argc, char** argv) {
  using namespace voxgate;
  CLI::App cli{"voxgate: a voice-session gateway"};
  cli.require_subcommand(1);

  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")->capture_default_str();

  app::ServeOptions serve_options;
  auto* serve = cli.add_subcommand("serve", "run the gateway on its embedded defaults");
  serve->add_option("--threads", serve_options.worker_threads, "worker loops (0: one per core)")->capture_default_str();

  app::ParseCommandOptions parse_options;
  std::string parse_input = "-";
  auto* parse = cli.add_subcommand("parse", "parse a SIP message and print what a UAS would do with it");
  parse->add_option("file", parse_input, "file holding the message ('-' for stdin)")->capture_default_str();
  parse->add_flag("--stream", parse_options.stream, "frame as a stream transport (Content-Length required)");

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
