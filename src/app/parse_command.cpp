#include "app/parse_command.hpp"

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sip/message/builder.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::app {

namespace {

void print_fields(const sip::Message& m, std::ostream& out) {
  if (m.is_request()) {
    fmt::print(out, "request {} {}\n", m.method_text(), m.request_uri_text());
  } else {
    fmt::print(out, "response {} {}\n", m.status(), m.reason());
  }
  if (auto v = m.top_via()) fmt::print(out, "via {} {} branch={}\n", v->transport, v->host, v->branch().value_or(""));
  if (auto c = m.call_id()) fmt::print(out, "call-id {}\n", *c);
  if (auto c = m.cseq()) fmt::print(out, "cseq {} {}\n", c->sequence, c->method_text);
  if (auto f = m.from()) fmt::print(out, "from {} tag={}\n", f->uri.text, f->tag().value_or(""));
  if (auto t = m.to()) fmt::print(out, "to {} tag={}\n", t->uri.text, t->tag().value_or(""));
  fmt::print(out, "headers {}\nbody {} bytes\n", m.fields().size(), m.body().size());
}

void print_rejection(const sip::ParseError& error, const sip::Message* request, std::ostream& out) {
  if (!error.respond()) {
    fmt::print(out, "drop: {} ({})\n", error.reason, sip::to_string(error.code));
    return;
  }
  fmt::print(out, "respond {} {} ({})\n", error.status, error.reason, sip::to_string(error.code));
  if (request != nullptr) {
    fmt::print(out, "--- response ---\n{}",
               sip::make_response(*request, error.status, error.reason).build().serialize());
  }
}

}  // namespace

int run_parse(const std::string& bytes, const ParseCommandOptions& options, std::ostream& out) {
  sip::ParseOptions parse_options;
  parse_options.framing = options.stream ? sip::Framing::Stream : sip::Framing::Datagram;
  auto parsed = sip::parse_message(bytes, parse_options);
  if (!parsed) {
    print_rejection(parsed.error().error, parsed.error().request ? &*parsed.error().request : nullptr, out);
    return 1;
  }
  if (auto valid = sip::validate_message(*parsed); !valid) {
    print_rejection(valid.error(), parsed->is_request() ? &*parsed : nullptr, out);
    return 1;
  }
  fmt::print(out, "accept\n");
  print_fields(*parsed, out);
  return 0;
}

}  // namespace voxgate::app
