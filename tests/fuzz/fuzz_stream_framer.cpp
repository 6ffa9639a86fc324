// libFuzzer target: StreamFramer fed a byte stream in chunks, through feed()
// and through prepare()/commit() (a socket read that fills less than it asked
// for), with every frame checked and handed to parse_message(Stream).
//
// Input layout:
//   byte 0     bits 0-2: number of chunk sizes (1..8); bits 3-4: ParseLimits
//              (default, 1024, 256 or 100 bytes per message)
//   bytes 1..n chunk sizes, used in turn: b < 128 -> b + 1 bytes,
//              b >= 128 -> ((b & 127) + 1) * 64 bytes
//   byte n+1   one bit per chunk (cycling): feed() or prepare()/commit()
//   the rest   the stream
//
// Invariants: frames are consecutive pieces of the stream (only stray LFs
// between messages are skipped silently), so what frames and keep-alives
// consumed plus what is still buffered never exceeds what was fed; a Message
// frame is a header section ending in an empty line plus exactly the body its
// Content-Length promises, within the size limit, and parse_message() agrees
// on that body; a FramingError sticks.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_touch.hpp"
#include "sip/message/header_traits.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/stream_framer.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::sip::fuzz {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Length of the header section through its empty line ("\n\n" or "\n\r\n"),
// or 0 when there is none.
std::size_t header_section_length(std::string_view frame) {
  for (std::size_t i = frame.find('\n'); i != std::string_view::npos; i = frame.find('\n', i + 1)) {
    if (i + 1 < frame.size() && frame[i + 1] == '\n') return i + 2;
    if (i + 2 < frame.size() && frame[i + 1] == '\r' && frame[i + 2] == '\n') return i + 3;
  }
  return 0;
}

void check_message_frame(const std::string& frame, const ParseLimits& limits) {
  FUZZ_CHECK(!frame.empty());
  FUZZ_CHECK(frame.front() != '\r' && frame.front() != '\n');
  FUZZ_CHECK(frame.size() <= limits.max_message_bytes);
  const std::size_t header_length = header_section_length(frame);
  FUZZ_CHECK(header_length != 0);
  const std::size_t body_length = frame.size() - header_length;

  // Every Content-Length header of the header section (the start line
  // excluded; a header line runs on over continuation lines, §7.3.1) states
  // the body length; there is at least one.
  const std::string_view headers = std::string_view(frame).substr(0, header_length);
  std::size_t content_lengths = 0;
  std::size_t line_start = headers.find('\n') + 1;
  while (line_start < headers.size()) {
    std::size_t line_end = headers.find('\n', line_start);
    while (line_end != std::string_view::npos && line_end + 1 < headers.size() &&
           (headers[line_end + 1] == ' ' || headers[line_end + 1] == '\t')) {
      line_end = headers.find('\n', line_end + 1);
    }
    if (line_end == std::string_view::npos) line_end = headers.size();
    const std::string_view line = headers.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) continue;  // continues the start line
    // HCOLON: the name and its colon are on the header's first line.
    const std::size_t colon = line.substr(0, line.find('\n')).find(':');
    if (colon == std::string_view::npos) continue;
    if (header_id_from_name(trim(line.substr(0, colon))) != HeaderId::ContentLength) continue;
    const auto value = HeaderTraits<HeaderId::ContentLength>::parse(trim(line.substr(colon + 1)));
    FUZZ_CHECK(value.has_value());
    FUZZ_CHECK(*value == body_length);
    ++content_lengths;
  }
  FUZZ_CHECK(content_lengths > 0);

  // The parser reads the same boundaries: when it accepts the frame, it is
  // one message with that body and nothing after it.
  ParseOptions options;
  options.framing = Framing::Stream;
  options.limits = limits;
  const auto parsed = parse_message(frame, options);
  if (parsed) {
    FUZZ_CHECK(parsed->body().size() == body_length);
    FUZZ_CHECK(parsed->serialize() == frame);
    const auto length = parsed->get<HeaderId::ContentLength>();
    FUZZ_CHECK(length && *length == body_length);
    (void)validate_message(*parsed);
  } else {
    FUZZ_CHECK(parsed.error().error.code != ParseErrorCode::BodyTruncated);
    FUZZ_CHECK(parsed.error().error.code != ParseErrorCode::MissingContentLength);
  }
}

class Run {
 public:
  Run(std::string_view stream, ParseLimits limits) : stream_(stream), limits_(limits), framer_(limits) {}

  void push(std::string_view chunk, bool use_prepare, std::size_t slack) {
    if (use_prepare) {
      // A read into a larger buffer than it fills.
      const auto space = framer_.prepare(chunk.size() + slack);
      FUZZ_CHECK(space.size() == chunk.size() + slack);
      if (!chunk.empty()) std::memcpy(space.data(), chunk.data(), chunk.size());
      framer_.commit(chunk.size());
    } else {
      framer_.feed(chunk);
    }
    fed_ += chunk.size();
    drain();
  }

 private:
  void drain() {
    while (true) {
      auto next = framer_.next();
      if (!next) {
        failed_ = true;
        touch(next.error().reason);
        // The error sticks, whatever comes next.
        FUZZ_CHECK(!framer_.next().has_value());
        FUZZ_CHECK(!framer_.next().has_value());
        return;
      }
      FUZZ_CHECK(!failed_);
      if (!next->has_value()) {
        FUZZ_CHECK(consumed_ + framer_.buffered() <= fed_);
        return;
      }
      const Frame& frame = **next;
      // Only LFs are skipped between frames.
      while (consumed_ < fed_ && stream_[consumed_] == '\n') ++consumed_;
      switch (frame.kind) {
        case FrameKind::KeepAlivePing:
          FUZZ_CHECK(frame.bytes.empty());
          FUZZ_CHECK(stream_.substr(consumed_, 4) == "\r\n\r\n");
          consumed_ += 4;
          break;
        case FrameKind::KeepAlivePong:
          FUZZ_CHECK(frame.bytes.empty());
          FUZZ_CHECK(stream_.substr(consumed_, 2) == "\r\n");
          consumed_ += 2;
          break;
        case FrameKind::Message:
          FUZZ_CHECK(consumed_ + frame.bytes.size() <= fed_);
          FUZZ_CHECK(stream_.substr(consumed_, frame.bytes.size()) == frame.bytes);
          consumed_ += frame.bytes.size();
          check_message_frame(frame.bytes, limits_);
          break;
      }
      FUZZ_CHECK(consumed_ <= fed_);
      FUZZ_CHECK(consumed_ + framer_.buffered() == fed_);
    }
  }

  std::string_view stream_;
  ParseLimits limits_;
  StreamFramer framer_;
  std::size_t fed_ = 0;
  std::size_t consumed_ = 0;
  bool failed_ = false;
};

void run(std::string_view input) {
  if (input.size() < 3) return;
  const auto header = static_cast<std::uint8_t>(input[0]);
  const std::size_t n_sizes = 1U + (header & 7U);
  if (input.size() < 2 + n_sizes) return;
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; i < n_sizes; ++i) {
    const auto b = static_cast<std::uint8_t>(input[1 + i]);
    sizes.push_back(b < 128 ? b + 1U : ((b & 127U) + 1U) * 64U);
  }
  const auto modes = static_cast<std::uint8_t>(input[1 + n_sizes]);
  const std::string_view stream = input.substr(2 + n_sizes);

  ParseLimits limits;
  static constexpr std::size_t kMessageLimits[] = {65535, 1024, 256, 100};
  limits.max_message_bytes = kMessageLimits[(header >> 3) & 3U];

  Run session(stream, limits);
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < stream.size(); ++i) {
    const std::size_t size = std::min(sizes[i % n_sizes], stream.size() - pos);
    const bool use_prepare = ((modes >> (i % 8)) & 1U) != 0;
    session.push(stream.substr(pos, size), use_prepare, (i % 3) * 7);
    pos += size;
  }
}

}  // namespace
}  // namespace voxgate::sip::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sip::fuzz::run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
