#include "sip/message/stream_framer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace voxgate::sip {
namespace {

constexpr std::string_view kFramedInvite =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

constexpr std::string_view kBye =
    "BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
    "l: 0\r\n"
    "\r\n";

// Every frame available now; stops at the first nullopt. Errors fail the test.
std::vector<Frame> drain(StreamFramer& framer) {
  std::vector<Frame> frames;
  while (true) {
    auto next = framer.next();
    if (!next) {
      ADD_FAILURE() << "framing error: " << next.error().reason;
      break;
    }
    if (!next->has_value()) break;
    frames.push_back(std::move(**next));
  }
  return frames;
}

void expect_message(const Frame& frame, std::string_view bytes) {
  EXPECT_EQ(frame.kind, FrameKind::Message);
  EXPECT_EQ(frame.bytes, bytes);
}

// The error the framer reports for `bytes` fed at once.
std::string framing_error(std::string_view bytes, ParseLimits limits = {}) {
  StreamFramer framer(limits);
  framer.feed(bytes);
  for (int i = 0; i < 10; ++i) {
    auto next = framer.next();
    if (!next) return next.error().reason;
    if (!next->has_value()) break;
  }
  ADD_FAILURE() << "no framing error for: " << bytes;
  return {};
}

TEST(StreamFramer, FramesTwoMessagesFedAtOnce) {
  StreamFramer framer;
  framer.feed(std::string(kFramedInvite) + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], kFramedInvite);
  expect_message(frames[1], kBye);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, NeedsMoreBytesWhenNothingWasFed) {
  StreamFramer framer;
  auto next = framer.next();
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, FramesAMessageFedByteByByte) {
  StreamFramer framer;
  for (std::size_t i = 0; i < kFramedInvite.size(); ++i) {
    framer.feed(kFramedInvite.substr(i, 1));
    auto next = framer.next();
    ASSERT_TRUE(next.has_value()) << next.error().reason;
    if (i + 1 < kFramedInvite.size()) {
      ASSERT_FALSE(next->has_value()) << "framed early at byte " << i;
      EXPECT_EQ(framer.buffered(), i + 1);
    } else {
      ASSERT_TRUE(next->has_value());
      expect_message(**next, kFramedInvite);
    }
  }
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, FramesWhereverTheBytesAreSplit) {
  // Covers the header terminator split at each of its positions and the body
  // split anywhere.
  for (std::size_t cut = 1; cut < kFramedInvite.size(); ++cut) {
    StreamFramer framer;
    framer.feed(kFramedInvite.substr(0, cut));
    EXPECT_TRUE(drain(framer).empty()) << cut;
    framer.feed(kFramedInvite.substr(cut));
    const std::vector<Frame> frames = drain(framer);
    ASSERT_EQ(frames.size(), 1u) << cut;
    expect_message(frames[0], kFramedInvite);
  }
}

TEST(StreamFramer, FramesWhenTheTerminatorArrivesInThreePieces) {
  const std::size_t end = kFramedInvite.find("\r\n\r\n");
  for (std::size_t a = end - 2; a <= end + 4; ++a) {
    for (std::size_t b = a + 1; b <= end + 5; ++b) {
      StreamFramer framer;
      framer.feed(kFramedInvite.substr(0, a));
      EXPECT_TRUE(drain(framer).empty());
      framer.feed(kFramedInvite.substr(a, b - a));
      EXPECT_TRUE(drain(framer).empty());
      framer.feed(kFramedInvite.substr(b));
      const std::vector<Frame> frames = drain(framer);
      ASSERT_EQ(frames.size(), 1u) << a << "/" << b;
      expect_message(frames[0], kFramedInvite);
    }
  }
}

TEST(StreamFramer, WaitsForTheWholeBody) {
  const std::string body(3000, 'b');
  const std::string message = "MESSAGE sip:bob@biloxi.com SIP/2.0\r\nContent-Length: 3000\r\n\r\n" + body;
  StreamFramer framer;
  const std::size_t header_size = message.size() - body.size();
  framer.feed(std::string_view(message).substr(0, header_size + 1));
  for (std::size_t pos = header_size + 1; pos < message.size(); pos += 250) {
    EXPECT_TRUE(drain(framer).empty());
    framer.feed(std::string_view(message).substr(pos, std::min<std::size_t>(250, message.size() - pos)));
  }
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  expect_message(frames[0], message);
}

TEST(StreamFramer, FramesParseAsStreamMessages) {
  StreamFramer framer;
  framer.feed(std::string(kFramedInvite) + std::string(kBye));
  for (Frame& frame : drain(framer)) {
    ParseOptions options;
    options.framing = Framing::Stream;
    auto m = parse_message(std::move(frame.bytes), options);
    ASSERT_TRUE(m.has_value()) << m.error().error.reason;
    EXPECT_TRUE(m->is_request());
  }
}

TEST(StreamFramer, DoesNotReadContentLengthFromTheBody) {
  const std::string message =
      "MESSAGE sip:bob@biloxi.com SIP/2.0\r\nContent-Length: 22\r\n\r\nContent-Length: 99\r\n\r\n";
  StreamFramer framer;
  framer.feed(message + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], message);
  expect_message(frames[1], kBye);
}

// ---- keep-alives (RFC 5626 §3.5.1) ----

TEST(StreamFramer, ReportsDoubleCrlfAsPing) {
  StreamFramer framer;
  framer.feed("\r\n\r\n");
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::KeepAlivePing);
  EXPECT_TRUE(frames[0].bytes.empty());
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, ReportsPingBetweenMessages) {
  StreamFramer framer;
  framer.feed(std::string(kBye) + "\r\n\r\n" + std::string(kFramedInvite));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 3u);
  expect_message(frames[0], kBye);
  EXPECT_EQ(frames[1].kind, FrameKind::KeepAlivePing);
  expect_message(frames[2], kFramedInvite);
}

TEST(StreamFramer, ReportsSingleCrlfBetweenMessagesAsPong) {
  StreamFramer framer;
  framer.feed(std::string(kBye) + "\r\n" + std::string(kFramedInvite));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 3u);
  expect_message(frames[0], kBye);
  EXPECT_EQ(frames[1].kind, FrameKind::KeepAlivePong);
  expect_message(frames[2], kFramedInvite);
}

TEST(StreamFramer, WaitsToTellAPingFromAPong) {
  StreamFramer framer;
  framer.feed("\r\n");
  EXPECT_TRUE(drain(framer).empty());
  framer.feed("\r");
  EXPECT_TRUE(drain(framer).empty());
  framer.feed("\n");
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::KeepAlivePing);
}

TEST(StreamFramer, PingSplitAcrossFeedsAfterAMessage) {
  StreamFramer framer;
  framer.feed(std::string(kBye) + "\r");
  ASSERT_EQ(drain(framer).size(), 1u);
  framer.feed("\n\r");
  EXPECT_TRUE(drain(framer).empty());
  framer.feed("\n");
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::KeepAlivePing);
}

TEST(StreamFramer, SkipsABareLfBeforeAStartLine) {
  StreamFramer framer;
  framer.feed("\n" + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  expect_message(frames[0], kBye);
}

TEST(StreamFramer, SkipsLongRunsOfBareLfs) {
  // A peer may send any number of stray LFs; skipping them must not cost a
  // stack frame each.
  StreamFramer framer;
  framer.feed(std::string(1'000'000, '\n'));
  EXPECT_TRUE(drain(framer).empty());
  EXPECT_EQ(framer.buffered(), 0u);
  framer.feed(std::string(500'000, '\n') + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  expect_message(frames[0], kBye);
}

TEST(StreamFramer, StrayCarriageReturnIsAFramingError) {
  EXPECT_FALSE(framing_error("\rINVITE sip:x SIP/2.0\r\nl: 0\r\n\r\n").empty());
}

// ---- header section forms ----

TEST(StreamFramer, AcceptsBareLfLineEndings) {
  const std::string_view message = "OPTIONS sip:x.example.com SIP/2.0\nl: 2\n\nok";
  const std::string_view mixed = "OPTIONS sip:x.example.com SIP/2.0\r\nl: 0\n\r\n";
  StreamFramer framer;
  framer.feed(std::string(message) + std::string(mixed));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], message);
  expect_message(frames[1], mixed);
}

TEST(StreamFramer, ReadsContentLengthInAnyCaseCompactOrSpaced) {
  for (std::string_view header :
       {"Content-Length: 3", "content-length:3", "CONTENT-LENGTH :  3  ", "l: 3", "L:3", "Content-Length: 003"}) {
    const std::string message = "MESSAGE sip:x SIP/2.0\r\n" + std::string(header) + "\r\n\r\nabc";
    StreamFramer framer;
    framer.feed(message + std::string(kBye));
    const std::vector<Frame> frames = drain(framer);
    ASSERT_EQ(frames.size(), 2u) << header;
    expect_message(frames[0], message);
  }
}

TEST(StreamFramer, FoldedContinuationLinesAreNotHeaderNames) {
  // §7.3.1: a line starting with whitespace continues the previous header;
  // this Subject's second line is not a compact Content-Length.
  const std::string message =
      "MESSAGE sip:x SIP/2.0\r\n"
      "Subject: Meeting\r\n"
      " l: agenda\r\n"
      "\tContent-Length: 99\r\n"
      "Content-Length: 3\r\n"
      "\r\n"
      "abc";
  StreamFramer framer;
  framer.feed(message + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], message);
  expect_message(frames[1], kBye);
}

TEST(StreamFramer, ReadsAFoldedContentLengthValue) {
  // The parser accepts this Content-Length (folding is LWS), so the framer
  // must frame it the same way.
  const std::string message =
      "MESSAGE sip:x SIP/2.0\r\n"
      "Content-Length:\r\n"
      "  3\r\n"
      "\r\n"
      "abc";
  StreamFramer framer;
  framer.feed(message + std::string(kBye));
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], message);
  ParseOptions options;
  options.framing = Framing::Stream;
  auto parsed = parse_message(frames[0].bytes, options);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().error.reason;
  EXPECT_EQ(parsed->body(), "abc");
}

TEST(StreamFramer, IdenticalRepeatedContentLengthStillFrames) {
  // Framing is unambiguous; the parser reports the duplicate afterwards.
  const std::string message = "MESSAGE sip:x SIP/2.0\r\nContent-Length: 3\r\nl: 3\r\n\r\nabc";
  StreamFramer framer;
  framer.feed(message);
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  expect_message(frames[0], message);
}

// ---- framing errors ----

TEST(StreamFramer, MissingContentLengthIsAFramingError) {
  const std::string reason = framing_error("INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\nbody");
  EXPECT_NE(reason.find("Content-Length"), std::string::npos) << reason;
}

TEST(StreamFramer, ConflictingContentLengthsAreAFramingError) {
  const std::string reason = framing_error("INVITE sip:x SIP/2.0\r\nContent-Length: 3\r\nl: 4\r\n\r\nabcd");
  EXPECT_NE(reason.find("conflicting"), std::string::npos) << reason;
}

TEST(StreamFramer, GarbageContentLengthIsAFramingError) {
  for (std::string_view value : {"abc", "-1", "1.5", "", "2147483648", "3 4", "0x10"}) {
    framing_error("INVITE sip:x SIP/2.0\r\nContent-Length: " + std::string(value) + "\r\n\r\nabc");
  }
}

TEST(StreamFramer, FramingErrorsAreSticky) {
  StreamFramer framer;
  framer.feed("INVITE sip:x SIP/2.0\r\nContent-Length: nope\r\n\r\n");
  auto first = framer.next();
  ASSERT_FALSE(first.has_value());
  framer.feed(kBye);
  for (int i = 0; i < 3; ++i) {
    auto again = framer.next();
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().reason, first.error().reason);
  }
}

TEST(StreamFramer, MissingContentLengthErrorIsSticky) {
  StreamFramer framer;
  framer.feed("OPTIONS sip:x SIP/2.0\r\n\r\n");
  ASSERT_FALSE(framer.next().has_value());
  framer.feed(kBye);
  EXPECT_FALSE(framer.next().has_value());
}

TEST(StreamFramer, HeaderSectionOverTheSizeLimitIsAFramingError) {
  ParseLimits limits;
  limits.max_message_bytes = 100;
  StreamFramer framer(limits);
  const std::string start = "INVITE sip:x SIP/2.0\r\nSubject: ";
  framer.feed(start + std::string(100 - start.size(), 's'));  // exactly the limit, no terminator yet
  auto waiting = framer.next();
  ASSERT_TRUE(waiting.has_value()) << waiting.error().reason;
  EXPECT_FALSE(waiting->has_value());
  framer.feed("s");
  auto over = framer.next();
  ASSERT_FALSE(over.has_value());
  EXPECT_NE(over.error().reason.find("limit"), std::string::npos) << over.error().reason;
}

TEST(StreamFramer, MessageOverTheSizeLimitIsAFramingErrorBeforeTheBodyArrives) {
  ParseLimits limits;
  limits.max_message_bytes = 200;
  StreamFramer framer(limits);
  framer.feed("MESSAGE sip:x SIP/2.0\r\nContent-Length: 1000\r\n\r\n");
  auto next = framer.next();
  ASSERT_FALSE(next.has_value());
  EXPECT_NE(next.error().reason.find("limit"), std::string::npos) << next.error().reason;
}

TEST(StreamFramer, MessageExactlyAtTheSizeLimitFrames) {
  const std::string header = "MESSAGE sip:x SIP/2.0\r\nContent-Length: 10\r\n\r\n";
  const std::string message = header + "0123456789";
  ParseLimits limits;
  limits.max_message_bytes = message.size();
  StreamFramer framer(limits);
  framer.feed(message);
  const std::vector<Frame> frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  expect_message(frames[0], message);
}

// ---- zero-copy receive ----

TEST(StreamFramer, PrepareAndCommitReceiveWithoutACopy) {
  StreamFramer framer;
  const std::string stream = std::string(kFramedInvite) + std::string(kBye);
  std::size_t sent = 0;
  std::vector<Frame> frames;
  while (sent < stream.size()) {
    std::span<char> space = framer.prepare(64);
    ASSERT_EQ(space.size(), 64u);
    const std::size_t n = std::min<std::size_t>(23, stream.size() - sent);  // a short read
    std::memcpy(space.data(), stream.data() + sent, n);
    framer.commit(n);
    sent += n;
    for (Frame& f : drain(framer)) frames.push_back(std::move(f));
  }
  ASSERT_EQ(frames.size(), 2u);
  expect_message(frames[0], kFramedInvite);
  expect_message(frames[1], kBye);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(StreamFramer, CommitOfZeroAddsNothing) {
  StreamFramer framer;
  (void)framer.prepare(100);
  framer.commit(0);
  EXPECT_EQ(framer.buffered(), 0u);
  auto next = framer.next();
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->has_value());
}

TEST(StreamFramer, BufferStaysBoundedOverManyMessages) {
  // Feed 10,000 small messages in reads that straddle message boundaries, so
  // unconsumed bytes always sit behind consumed ones: the framer must compact
  // rather than grow.
  std::string stream;
  for (int i = 0; i < 10000; ++i) {
    stream += "BYE sip:bob@192.0.2.4 SIP/2.0\r\nCSeq: " + std::to_string(i) + " BYE\r\nl: 2\r\n\r\nok";
    if (i % 100 == 0) stream += "\r\n\r\n";
  }
  StreamFramer framer;
  constexpr std::size_t kRead = 37;
  std::size_t messages = 0;
  std::size_t pings = 0;
  std::size_t max_buffered = 0;
  std::set<const char*, std::less<>> storage;  // where an empty buffer's storage starts
  for (std::size_t sent = 0; sent < stream.size(); sent += kRead) {
    const bool empty = framer.buffered() == 0;
    std::span<char> space = framer.prepare(kRead);
    if (empty && messages > 100) storage.insert(space.data());
    const std::size_t n = std::min(kRead, stream.size() - sent);
    std::memcpy(space.data(), stream.data() + sent, n);
    framer.commit(n);
    for (const Frame& f : drain(framer)) {
      if (f.kind == FrameKind::Message) {
        ASSERT_EQ(f.bytes.rfind("BYE ", 0), 0u);
        ASSERT_NE(f.bytes.find("CSeq: " + std::to_string(messages) + " BYE"), std::string::npos);
        ++messages;
      } else {
        ++pings;
      }
    }
    max_buffered = std::max(max_buffered, framer.buffered());
  }
  EXPECT_EQ(messages, 10000u);
  EXPECT_EQ(pings, 100u);
  EXPECT_EQ(framer.buffered(), 0u);
  EXPECT_LT(max_buffered, 100u);
  // The storage was reused in place: it never had to grow (a larger buffer
  // would have moved).
  EXPECT_LE(storage.size(), 1u);
}

TEST(StreamFramer, BufferStaysBoundedWhenFedWholeMessages) {
  StreamFramer framer;
  std::size_t max_buffered = 0;
  for (int i = 0; i < 10000; ++i) {
    framer.feed(kBye);
    const std::vector<Frame> frames = drain(framer);
    ASSERT_EQ(frames.size(), 1u);
    max_buffered = std::max(max_buffered, framer.buffered());
  }
  EXPECT_EQ(max_buffered, 0u);
}

}  // namespace
}  // namespace voxgate::sip
