#pragma once
// A cursor over one header value (or URI) for the hand-written recursive
// descent parsers of this module. It never allocates and never reads past the
// view. Whitespace skipping treats CR and LF as LWS: the value views include
// folded lines verbatim (RFC 3261 §7.3.1), and folding is equivalent to SP.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/find.hpp"

namespace voxgate::sip::detail {

class Scanner {
 public:
  explicit constexpr Scanner(std::string_view text) noexcept : text_(text) {}

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] std::size_t pos() const noexcept { return pos_; }
  [[nodiscard]] std::string_view rest() const noexcept { return text_.substr(pos_); }
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] std::string_view since(std::size_t start) const noexcept { return text_.substr(start, pos_ - start); }

  void seek(std::size_t pos) noexcept { pos_ = pos > text_.size() ? text_.size() : pos; }
  void advance(std::size_t n = 1) noexcept { pos_ = pos_ + n > text_.size() ? text_.size() : pos_ + n; }

  // Skips LWS; returns true if any was skipped.
  bool skip_ws() noexcept {
    // Loops run on a local index: pos_ is reached through a reference, and
    // char reads may alias it, so the compiler would store it every step.
    const std::size_t start = pos_;
    std::size_t i = start;
    while (i < text_.size() && is_ws(text_[i])) ++i;
    pos_ = i;
    return i != start;
  }

  bool consume(char c) noexcept {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }

  // SWS c SWS: the separators of §25.1 (SEMI, COMMA, EQUAL, SLASH, COLON...).
  bool consume_separator(char c) noexcept {
    // Nearly always the separator stands alone (";tag=", "SIP/2.0/UDP"):
    // take it without the two LWS scans.
    if (const std::size_t i = pos_; i < text_.size() && text_[i] == c) {
      if (i + 1 == text_.size() || !is_ws(text_[i + 1])) {
        pos_ = i + 1;
        return true;
      }
    }
    const std::size_t save = pos_;
    skip_ws();
    if (consume(c)) {
      skip_ws();
      return true;
    }
    pos_ = save;
    return false;
  }

  std::string_view take_while(std::uint16_t classes) noexcept {
    const std::size_t start = pos_;
    const std::size_t n = text_.size();
    std::size_t i = start;
    // Eight characters a step without the bound test while eight remain
    // (nearly always: the view is the rest of a header value): the test was
    // a third of the per-character loop (profiled).
    while (n - i >= 8) {
      std::size_t k = 0;
      while (k < 8 && is(text_[i + k], classes)) ++k;
      i += k;
      if (k < 8) {
        pos_ = i;
        return text_.substr(start, i - start);
      }
    }
    while (i < n && is(text_[i], classes)) ++i;
    pos_ = i;
    return text_.substr(start, i - start);
  }

  std::string_view take_token() noexcept { return take_while(kToken); }

  // quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE. Expects the
  // cursor on the opening quote. On success returns the content between the
  // quotes (still escaped); on failure (unterminated) leaves `ok` false.
  std::string_view take_quoted(bool& ok) noexcept {
    ok = false;
    if (!consume('"')) return {};
    const std::size_t start = pos_;
    while (!at_end()) {
      // Only '"' and '\\' matter: jump to the next of either (SSE2) instead
      // of testing each character (profiled: most of a From header's display
      // name).
      const std::size_t special = find_either(text_, '"', '\\', pos_);
      if (special == std::string_view::npos) {
        pos_ = text_.size();
        break;
      }
      pos_ = special;
      const char c = text_[pos_];
      if (c == '"') {
        const std::string_view content = text_.substr(start, pos_ - start);
        ++pos_;
        ok = true;
        return content;
      }
      // c is '\\': quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F), anything but CR/LF.
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\r' || text_[pos_ + 1] == '\n') return {};
      pos_ += 2;
    }
    return {};
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace voxgate::sip::detail
