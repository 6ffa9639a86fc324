#include "sip/message/stream_framer.hpp"

#include <algorithm>
#include <cstring>

#include "base/ascii.hpp"
#include "sip/message/detail/list_split.hpp"
#include "sip/message/header_traits.hpp"

namespace voxgate::sip {

StreamFramer::StreamFramer(ParseLimits limits) : limits_(limits) {}

std::span<char> StreamFramer::prepare(std::size_t n) {
  if (begin_ == end_) {
    begin_ = end_ = scan_ = 0;
  } else if (begin_ > 0 && begin_ >= buffer_.size() / 2) {
    // Move the unconsumed tail to the front so the buffer stays bounded.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ = scan_ > begin_ ? scan_ - begin_ : 0;
    begin_ = 0;
  }
  if (buffer_.size() < end_ + n) buffer_.resize(end_ + n);
  return {buffer_.data() + end_, n};
}

void StreamFramer::commit(std::size_t n) {
  end_ += std::min(n, buffer_.size() - end_);
}

void StreamFramer::feed(std::string_view bytes) {
  if (bytes.empty()) return;  // data() may be null: no memcpy from it
  const auto space = prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

tl::unexpected<FramingError> StreamFramer::fail(std::string reason) {
  error_ = FramingError{std::move(reason)};
  return tl::unexpected(*error_);
}

std::size_t StreamFramer::find_header_end() {
  // The empty line is "\n\n" or "\n\r\n" after the last header line; look
  // at each '\n' once, resuming where the previous call stopped.
  const char* base = buffer_.data();
  std::size_t i = std::max(scan_, begin_);
  while (i < end_) {
    const void* nl = std::memchr(base + i, '\n', end_ - i);
    if (nl == nullptr) {
      i = end_;
      break;
    }
    i = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
    if (i + 1 < end_ && base[i + 1] == '\n') return i + 2 - begin_;
    if (i + 2 < end_ && base[i + 1] == '\r' && base[i + 2] == '\n') return i + 3 - begin_;
    if (i + 2 >= end_) break;  // the terminator may complete with the next bytes
    ++i;
  }
  scan_ = i;
  return 0;
}

tl::expected<std::size_t, FramingError> StreamFramer::content_length(std::string_view header_section) const {
  std::optional<std::uint32_t> length;
  std::size_t pos = header_section.find('\n');  // skip the start line
  while (pos != std::string_view::npos && pos + 1 < header_section.size()) {
    const std::size_t start = pos + 1;
    pos = header_section.find('\n', start);
    const std::string_view line = header_section.substr(start, pos == std::string_view::npos ? pos : pos - start);
    // §7.3.1: a line starting with SP or HTAB continues the previous header's
    // value; it names no header of its own.
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = detail::trim_lws(line.substr(0, colon));
    if (header_id_from_name(name) != HeaderId::ContentLength) continue;
    // The value runs on over continuation lines, as the parser reads it.
    std::size_t value_end = pos;
    while (value_end != std::string_view::npos && value_end + 1 < header_section.size() &&
           (header_section[value_end + 1] == ' ' || header_section[value_end + 1] == '\t')) {
      value_end = header_section.find('\n', value_end + 1);
    }
    pos = value_end;
    const std::size_t value_start = start + colon + 1;
    const std::string_view value_text =
        header_section.substr(value_start, value_end == std::string_view::npos ? value_end : value_end - value_start);
    auto value = HeaderTraits<HeaderId::ContentLength>::parse(detail::trim_lws(value_text));
    if (!value) return tl::unexpected(FramingError{"bad Content-Length on a stream: " + value.error().reason});
    if (length && *length != *value) return tl::unexpected(FramingError{"conflicting Content-Length header_section"});
    length = *value;
  }
  if (!length) return tl::unexpected(FramingError{"missing Content-Length on a stream transport"});
  return *length;
}

tl::expected<std::optional<Frame>, FramingError> StreamFramer::next() {
  if (error_) return tl::unexpected(*error_);
  const std::string_view data(buffer_.data() + begin_, end_ - begin_);

  if (pending_total_ == 0) {
    // Keep-alives and stray CRLFs before a start line (§7.5).
    if (!data.empty() && (data[0] == '\r' || data[0] == '\n')) {
      if (data.substr(0, 4) == "\r\n\r\n") {
        begin_ += 4;
        return Frame{FrameKind::KeepAlivePing, {}};
      }
      if (data.substr(0, 2) == "\r\n") {
        if (data.size() == 2 || (data.size() == 3 && data[2] == '\r')) return std::nullopt;  // maybe a ping
        begin_ += 2;
        return Frame{FrameKind::KeepAlivePong, {}};
      }
      if (data[0] == '\n') {
        // Skip the whole run of stray LFs at once: one recursion per byte
        // would let a peer overflow the stack.
        begin_ += std::min(data.find_first_not_of('\n'), data.size());
        return next();
      }
      if (data.size() == 1) return std::nullopt;
      return fail("stray carriage return before a start line");
    }
    const std::size_t header_end = find_header_end();
    if (header_end == 0) {
      if (data.size() > limits_.max_message_bytes) return fail("header section larger than the message size limit");
      return std::nullopt;
    }
    auto length = content_length(data.substr(0, header_end));
    if (!length) return tl::unexpected(*(error_ = length.error()));
    pending_total_ = header_end + *length;
    if (pending_total_ > limits_.max_message_bytes) return fail("message larger than the message size limit");
  }
  if (data.size() < pending_total_) return std::nullopt;
  Frame frame{FrameKind::Message, std::string(data.substr(0, pending_total_))};
  begin_ += pending_total_;
  scan_ = begin_;
  pending_total_ = 0;
  return frame;
}

}  // namespace voxgate::sip
