#include "sip/transaction/transaction_key.hpp"

#include <functional>

#include "base/ascii.hpp"

namespace voxgate::sip {

namespace {

bool same_method(Method a, std::string_view a_text, Method b, std::string_view b_text) noexcept {
  if (a != b) return false;
  return a != Method::Extension || a_text == b_text;
}

std::size_t mix(std::string_view branch, Method method) noexcept {
  return std::hash<std::string_view>{}(branch) ^ (static_cast<std::size_t>(method) * 0x9E3779B97F4A7C15ULL);
}

bool same_optional(const std::optional<std::string_view>& a, std::string_view b, bool b_present) noexcept {
  return a.has_value() == b_present && (!a || *a == b);
}

}  // namespace

std::size_t ServerKeyHash::operator()(const ServerKey& key) const noexcept {
  // The branch alone is nearly unique; the sent-by only breaks ties.
  return mix(key.branch, key.method);
}

bool ServerKeyEqual::operator()(const ServerKey& a, const ServerKey& b) const noexcept {
  return a.branch == b.branch && same_method(a.method, a.method_text, b.method, b.method_text) &&
         a.sent_by_port == b.sent_by_port && ascii::iequals(a.sent_by_host, b.sent_by_host);
}

std::size_t ClientKeyHash::operator()(const ClientKey& key) const noexcept {
  return mix(key.branch, key.method);
}

bool ClientKeyEqual::operator()(const ClientKey& a, const ClientKey& b) const noexcept {
  return a.branch == b.branch && same_method(a.method, a.method_text, b.method, b.method_text);
}

Result<RequestView> read_request(const Message& request) {
  const auto via = request.top_via();
  const auto call_id = request.call_id();
  const auto cseq = request.cseq();
  if (!via || !call_id || !cseq) {
    return make_error(Errc::InvalidArgument, "request without a usable Via, Call-ID or CSeq");
  }
  RequestView view;
  view.key.branch = via->branch().value_or(std::string_view{});
  view.key.sent_by_host = via->host;
  view.key.sent_by_port = via->port;
  view.key.method = request.method();
  view.key.method_text = request.method_text();
  view.rfc3261 = via->has_rfc3261_branch();
  if (!view.rfc3261) {
    // Only the RFC 2543 fallback compares the whole top Via.
    const auto vias = request.values(HeaderId::Via);
    if (!vias.empty()) view.top_via = vias.front();
  }
  view.call_id = *call_id;
  view.cseq = cseq->sequence;
  view.cseq_method = cseq->method;
  view.cseq_method_text = cseq->method_text;
  return view;
}

Result<DialogTags> read_tags(const Message& request) {
  const auto from = request.from();
  const auto to = request.to();
  if (!from || !to) return make_error(Errc::InvalidArgument, "request without a usable From or To");
  return DialogTags{from->tag(), to->tag()};
}

Result<ClientKey> read_response_key(const Message& response) {
  const auto via = response.top_via();
  const auto cseq = response.cseq();
  if (!via || !cseq) return make_error(Errc::InvalidArgument, "response without a usable Via or CSeq");
  const auto branch = via->branch();
  if (!branch) return make_error(Errc::NotFound, "response without a branch");
  return ClientKey{*branch, cseq->method, cseq->method_text};
}

ServerIdentity::ServerIdentity(const RequestView& view, const DialogTags& tags, const Message& request)
    : port_(view.key.sent_by_port),
      cseq_(view.cseq),
      method_(view.key.method),
      cseq_method_(view.cseq_method),
      rfc3261_(view.rfc3261),
      has_from_tag_(tags.from_tag.has_value()),
      has_to_tag_(tags.to_tag.has_value()) {
  const std::string_view from_tag = tags.from_tag.value_or(std::string_view{});
  const std::string_view to_tag = tags.to_tag.value_or(std::string_view{});
  // Only the RFC 2543 fallback compares Request-URI, To tag and top Via.
  const std::string_view uri = rfc3261_ ? std::string_view{} : request.request_uri_text();
  const std::string_view via = rfc3261_ ? std::string_view{} : view.top_via;
  text_.reserve(view.key.branch.size() + view.key.sent_by_host.size() + view.key.method_text.size() +
                view.call_id.size() + from_tag.size() + to_tag.size() + uri.size() + via.size() +
                view.cseq_method_text.size());
  branch_ = append(view.key.branch);
  host_ = append(view.key.sent_by_host);
  method_text_ = append(view.key.method_text);
  call_id_ = append(view.call_id);
  from_tag_ = append(from_tag);
  to_tag_ = append(rfc3261_ ? std::string_view{} : to_tag);
  request_uri_ = append(uri);
  top_via_ = append(via);
  cseq_method_text_ = append(view.cseq_method_text);
}

ServerIdentity::Span ServerIdentity::append(std::string_view s) {
  const Span span{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(s.size())};
  text_.append(s);
  return span;
}

ServerKey ServerIdentity::key() const noexcept {
  return ServerKey{text(branch_), text(host_), port_, method_, text(method_text_)};
}

void ServerIdentity::set_response_to_tag(std::string_view tag) {
  response_to_tag_.assign(tag);
}

bool ServerIdentity::legacy_common(const RequestView& view, const DialogTags& tags, const Message& request) const {
  if (rfc3261_ || view.rfc3261) return false;
  if (view.call_id != call_id() || view.cseq != cseq_) return false;
  if (!same_optional(tags.from_tag, from_tag(), has_from_tag_)) return false;
  if (view.top_via != text(top_via_)) return false;
  const std::string_view uri = request.request_uri_text();
  if (uri == text(request_uri_)) return true;
  // §19.1.4 URI equality, for a retransmission written differently.
  const auto a = parse_uri(uri);
  const auto b = parse_uri(text(request_uri_));
  return a && b && uri_equivalent(*a, *b);
}

bool ServerIdentity::legacy_matches(const RequestView& view, const DialogTags& tags, const Message& request) const {
  return same_method(view.cseq_method, view.cseq_method_text, cseq_method_, text(cseq_method_text_)) &&
         same_method(view.key.method, view.key.method_text, method_, text(method_text_)) &&
         same_optional(tags.to_tag, text(to_tag_), has_to_tag_) && legacy_common(view, tags, request);
}

bool ServerIdentity::legacy_ack_matches(const RequestView& view, const DialogTags& tags, const Message& ack) const {
  if (method_ != Method::Invite) return false;
  // The ACK's To tag is the one our response added (or none if it added none).
  const bool tag_matches = response_to_tag_.empty() ? same_optional(tags.to_tag, text(to_tag_), has_to_tag_)
                                                    : tags.to_tag && *tags.to_tag == response_to_tag_;
  return tag_matches && legacy_common(view, tags, ack);
}

bool ServerIdentity::legacy_cancel_matches(const RequestView& view, const DialogTags& tags,
                                           const Message& cancel) const {
  return same_optional(tags.to_tag, text(to_tag_), has_to_tag_) && legacy_common(view, tags, cancel);
}

bool ServerIdentity::same_origin(const RequestView& view, const DialogTags& tags) const noexcept {
  return view.call_id == call_id() && view.cseq == cseq_ &&
         same_method(view.cseq_method, view.cseq_method_text, cseq_method_, text(cseq_method_text_)) &&
         same_optional(tags.from_tag, from_tag(), has_from_tag_);
}

}  // namespace voxgate::sip
