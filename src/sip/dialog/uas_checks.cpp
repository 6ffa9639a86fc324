#include "sip/dialog/uas_checks.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/ascii.hpp"
#include "sip/dialog/capabilities.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/media_type.hpp"

namespace voxgate::sip {

namespace {

bool is_supported_option_tag(std::string_view tag) {
  return std::any_of(kSupportedOptionTags.begin(), kSupportedOptionTags.end(),
                     [tag](std::string_view ours) { return ascii::iequals(ours, tag); });
}

RequestDecision respond(const Message& request, std::uint16_t status, std::string_view to_tag,
                        std::string_view reason = {}) {
  return RequestDecision::respond(make_response(request, status, reason, to_tag).build());
}

// Methods whose body we read: the session description of an INVITE or an
// UPDATE (ACK's is never refused, §17), the DTMF digit of an INFO (RFC
// 6086 §9) and the sipfrag of a NOTIFY (RFC 3515 §2.4.5). Other methods'
// bodies are ignored, not refused.
bool body_is_read(Method method) noexcept {
  return method == Method::Invite || method == Method::Update || method == Method::Info || method == Method::Notify;
}

// The body types a `method` request may carry, as a 415's Accept says them.
bool is_readable(Method method, const MediaType& type) noexcept {
  if (method == Method::Info) return type.is("application", "dtmf-relay") || type.is("application", "dtmf");
  if (method == Method::Notify) return type.is("message", "sipfrag");
  return type.is("application", "sdp");
}

std::string_view accept_header_for(Method method) noexcept {
  if (method == Method::Info) return kInfoAcceptHeader;
  if (method == Method::Notify) return kNotifyAcceptHeader;
  return kAcceptHeader;
}

// §8.2.2.3: unknown option tags in Require -> 420 listing them.
std::optional<RequestDecision> check_require(const Message& request, std::string_view to_tag) {
  if (!request.has(HeaderId::Require)) return std::nullopt;
  auto required = request.get_all<HeaderId::Require>();
  if (!required) return respond(request, 400, to_tag, required.error().reason);
  std::string unsupported;
  for (std::string_view tag : *required) {
    if (is_supported_option_tag(tag)) continue;
    if (!unsupported.empty()) unsupported += ", ";
    unsupported += tag;
  }
  if (unsupported.empty()) return std::nullopt;
  return RequestDecision::respond(
      make_response(request, 420, {}, to_tag).header(HeaderId::Unsupported, unsupported).build());
}

// §8.2.3: a body we cannot read -> 415 saying what we can.
std::optional<RequestDecision> check_body(const Message& request, std::string_view to_tag) {
  if (request.body().empty() || !body_is_read(request.method())) return std::nullopt;
  for (std::string_view coding : request.values(HeaderId::ContentEncoding)) {
    if (!ascii::iequals(coding, "identity")) {
      return RequestDecision::respond(
          make_response(request, 415, {}, to_tag).header(HeaderId::AcceptEncoding, kAcceptEncodingHeader).build());
    }
  }
  auto type = request.find<HeaderId::ContentType>();
  if (!type) return respond(request, 400, to_tag, type.error().reason);
  if (!*type) return respond(request, 400, to_tag, "Missing Content-Type header");
  if (!is_readable(request.method(), **type)) {
    return RequestDecision::respond(
        make_response(request, 415, {}, to_tag).header(HeaderId::Accept, accept_header_for(request.method())).build());
  }
  return std::nullopt;
}

}  // namespace

RequestDecision check_request(const Message& request, std::string_view to_tag) {
  const Method method = request.method();
  if (method == Method::Ack) return RequestDecision::proceed();

  if (!is_allowed_method(method)) {
    return RequestDecision::respond(
        make_response(request, 405, {}, to_tag).header(HeaderId::Allow, kAllowHeader).build());
  }

  auto uri = request.request_uri();
  if (!uri) return respond(request, 400, to_tag, uri.error().reason);
  if (!uri->is_sip() && uri->scheme != UriScheme::Tel) return respond(request, 416, to_tag);

  auto max_forwards = request.find<HeaderId::MaxForwards>();
  if (!max_forwards) return respond(request, 400, to_tag, max_forwards.error().reason);
  if (*max_forwards && **max_forwards == 0 && method != Method::Options) return respond(request, 483, to_tag);

  if (method != Method::Cancel) {
    if (auto decision = check_require(request, to_tag)) return std::move(*decision);
  }
  if (auto decision = check_body(request, to_tag)) return std::move(*decision);

  if (method == Method::Options) return RequestDecision::respond(make_options_response(request, to_tag));
  return RequestDecision::proceed();
}

Message make_options_response(const Message& request, std::string_view to_tag) {
  return make_response(request, 200, {}, to_tag)
      .header(HeaderId::Allow, kAllowHeader)
      .header(HeaderId::Accept, kAcceptHeader)
      .header(HeaderId::AcceptEncoding, kAcceptEncodingHeader)
      .header(HeaderId::AcceptLanguage, kAcceptLanguageHeader)
      .header(HeaderId::Supported, supported_header_value())
      .build();
}

Message make_no_dialog_response(const Message& request) {
  return make_response(request, 481).build();
}

Message make_overload_response(const Message& request, std::uint32_t retry_after_seconds, std::string_view to_tag) {
  return make_response(request, 503, {}, to_tag)
      .header(HeaderId::RetryAfter, fmt::format_int(retry_after_seconds).c_str())
      .build();
}

}  // namespace voxgate::sip
