#pragma once
// `voxgate parse`: runs the SIP message layer over a message from a file or
// stdin and prints what a UAS would do with it. For operators checking what a
// peer sends, and for tests of the binary.

#include <iosfwd>
#include <string>

namespace voxgate::app {

struct ParseCommandOptions {
  bool stream = false;  // frame as TCP (Content-Length required) instead of UDP
};

// Prints the verdict ("accept", "respond 400 <reason>", "drop: <reason>") and
// the main fields. Returns 0 when accepted, 1 otherwise.
int run_parse(const std::string& bytes, const ParseCommandOptions& options, std::ostream& out);

}  // namespace voxgate::app
