#pragma once
// Matching messages to transactions (RFC 3261 §17.1.3, §17.2.3, §9.2,
// §8.2.2.2). Keys are views: a lookup builds one from the received message
// without allocating; a transaction stores its own text once
// (ServerIdentity) and its map entry views that.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sip/message/message.hpp"
#include "sip/message/method.hpp"

namespace voxgate::sip {

// §17.2.3, RFC 3261 form: the top Via branch (with the magic cookie), its
// sent-by, and the method. The ACK of a non-2xx is looked up with the
// method INVITE; a CANCEL is its own transaction.
struct ServerKey {
  std::string_view branch;
  std::string_view sent_by_host;
  std::optional<std::uint16_t> sent_by_port;
  Method method = Method::Extension;
  std::string_view method_text;  // compared only for extension methods
};

struct ServerKeyHash {
  std::size_t operator()(const ServerKey& key) const noexcept;
};
struct ServerKeyEqual {
  // Branch and method exactly, the sent-by host case-insensitively (§19.1.4
  // host comparison), the port as written.
  bool operator()(const ServerKey& a, const ServerKey& b) const noexcept;
};

// §17.1.3: the branch we put in our top Via, and the CSeq method (a CANCEL
// shares its INVITE's branch).
struct ClientKey {
  std::string_view branch;
  Method method = Method::Extension;
  std::string_view method_text;  // compared only for extension methods
};

struct ClientKeyHash {
  std::size_t operator()(const ClientKey& key) const noexcept;
};
struct ClientKeyEqual {
  bool operator()(const ClientKey& a, const ClientKey& b) const noexcept;
};

// What the layer reads from every request, once: views into the message.
struct RequestView {
  ServerKey key;             // method as in the request line
  bool rfc3261 = false;      // the branch has the magic cookie (§8.1.1.7)
  std::string_view top_via;  // the first Via value as written; read only without the cookie
  std::string_view call_id;
  std::uint32_t cseq = 0;
  Method cseq_method = Method::Extension;
  std::string_view cseq_method_text;
};

// Top Via, Call-ID and CSeq of `request`; an error when one is unusable (the
// transport validated the message, so only a broken seam gets one).
Result<RequestView> read_request(const Message& request);

// From and To tags: parsed only for requests that may start a transaction
// (merged-request detection, RFC 2543 matching).
struct DialogTags {
  std::optional<std::string_view> from_tag;
  std::optional<std::string_view> to_tag;
};
Result<DialogTags> read_tags(const Message& request);

// The top Via branch and CSeq method of a response: its client key.
Result<ClientKey> read_response_key(const Message& response);

// The identity a server transaction keeps of the request that created it:
// every field §17.2.3 and §8.2.2.2 compare, in one buffer. Never moved once
// built, so the views it hands out (and the maps that hold them) stay valid.
class ServerIdentity {
 public:
  ServerIdentity(const RequestView& view, const DialogTags& tags, const Message& request);
  ServerIdentity(const ServerIdentity&) = delete;
  ServerIdentity& operator=(const ServerIdentity&) = delete;
  ~ServerIdentity() = default;

  // The §17.2.3 key, with the method of the request line.
  [[nodiscard]] ServerKey key() const noexcept;
  [[nodiscard]] bool rfc3261() const noexcept { return rfc3261_; }
  [[nodiscard]] Method method() const noexcept { return method_; }
  [[nodiscard]] std::string_view call_id() const noexcept { return text(call_id_); }
  [[nodiscard]] std::string_view from_tag() const noexcept { return text(from_tag_); }
  [[nodiscard]] bool has_from_tag() const noexcept { return has_from_tag_; }
  [[nodiscard]] std::uint32_t cseq() const noexcept { return cseq_; }

  // RFC 2543 fallback (§17.2.3): the request matches when Request-URI, To
  // tag, From tag, Call-ID, CSeq and top Via do.
  [[nodiscard]] bool legacy_matches(const RequestView& view, const DialogTags& tags, const Message& request) const;
  // RFC 2543 ACK: as above with the CSeq number only, and the ACK's To tag
  // against the To tag of the response this transaction sent.
  [[nodiscard]] bool legacy_ack_matches(const RequestView& view, const DialogTags& tags, const Message& ack) const;
  // RFC 2543 CANCEL (§9.2): as a request of the same method, the method aside.
  [[nodiscard]] bool legacy_cancel_matches(const RequestView& view, const DialogTags& tags,
                                           const Message& cancel) const;
  // §8.2.2.2: From tag, Call-ID and CSeq (number and method) are those of this transaction's request.
  [[nodiscard]] bool same_origin(const RequestView& view, const DialogTags& tags) const noexcept;

  // The To tag of the response sent, for legacy ACK matching.
  // The To tag of the latest response above 100 we sent; empty when none had one.
  [[nodiscard]] std::string_view response_to_tag() const noexcept { return response_to_tag_; }
  void set_response_to_tag(std::string_view tag);

 private:
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  [[nodiscard]] std::string_view text(Span s) const noexcept {
    return std::string_view(text_).substr(s.offset, s.length);
  }
  Span append(std::string_view s);
  [[nodiscard]] bool legacy_common(const RequestView& view, const DialogTags& tags, const Message& request) const;

  std::string text_;
  Span branch_, host_, method_text_, call_id_, from_tag_, to_tag_, request_uri_, top_via_, cseq_method_text_;
  std::string response_to_tag_;
  std::optional<std::uint16_t> port_;
  std::uint32_t cseq_ = 0;
  Method method_ = Method::Extension;
  Method cseq_method_ = Method::Extension;
  bool rfc3261_ = false;
  bool has_from_tag_ = false;
  bool has_to_tag_ = false;
};

}  // namespace voxgate::sip
