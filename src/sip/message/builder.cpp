#include "sip/message/builder.hpp"

#include <stdexcept>
#include <string>

namespace voxgate::sip {

std::string_view default_reason(std::uint16_t status) noexcept {
  switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 199: return "Early Dialog Terminated";  // RFC 6228
    case 200: return "OK";
    case 202: return "Accepted";         // RFC 3265
    case 204: return "No Notification";  // RFC 5839
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 380: return "Alternative Service";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 412: return "Conditional Request Failed";  // RFC 3903
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 417: return "Unknown Resource-Priority";  // RFC 4412
    case 420: return "Bad Extension";
    case 421: return "Extension Required";
    case 422: return "Session Interval Too Small";  // RFC 4028
    case 423: return "Interval Too Brief";
    case 428: return "Use Identity Header";        // RFC 8224
    case 429: return "Provide Referrer Identity";  // RFC 3892
    case 433: return "Anonymity Disallowed";       // RFC 5079
    case 436: return "Bad Identity Info";          // RFC 8224
    case 437: return "Unsupported Credential";
    case 438: return "Invalid Identity Header";
    case 439: return "First Hop Lacks Outbound Support";  // RFC 5626
    case 440: return "Max-Breadth Exceeded";              // RFC 5393
    case 469: return "Bad Info Package";                  // RFC 6086
    case 470: return "Consent Needed";                    // RFC 5360
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 485: return "Ambiguous";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";  // RFC 6665
    case 491: return "Request Pending";
    case 493: return "Undecipherable";
    case 494: return "Security Agreement Required";  // RFC 3329
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 555: return "Push Notification Service Not Supported";  // RFC 8599
    case 580: return "Precondition Failure";                     // RFC 3312
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    case 607: return "Unwanted";  // RFC 8197
    case 608: return "Rejected";  // RFC 8688
    default: return "";
  }
}

MessageBuilder MessageBuilder::request(Method method, std::string_view request_uri) {
  if (method == Method::Extension) throw std::logic_error("MessageBuilder::request: pass an extension method's token");
  return request(to_string(method), request_uri);
}

MessageBuilder MessageBuilder::request(std::string_view method_token, std::string_view request_uri) {
  return MessageBuilder(Message::request(method_token, request_uri));
}

MessageBuilder MessageBuilder::response(std::uint16_t status, std::string_view reason) {
  return MessageBuilder(Message::response(status, reason.empty() ? default_reason(status) : reason));
}

MessageBuilder& MessageBuilder::header(HeaderId id, std::string_view value) {
  message_.add_header(id, value);
  return *this;
}

MessageBuilder& MessageBuilder::header(std::string_view name, std::string_view value) {
  message_.add_header(name, value);
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view content_type, std::string_view content) {
  message_.set_body(content, content_type);
  return *this;
}

Message MessageBuilder::build() {
  if (!message_.has(HeaderId::ContentLength)) message_.set_body({});
  return std::move(message_);
}

MessageBuilder make_response(const Message& request, std::uint16_t status, std::string_view reason,
                             std::string_view to_tag) {
  MessageBuilder response = MessageBuilder::response(status, reason);
  for (const HeaderField& f : request.fields()) {
    switch (f.id) {
      case HeaderId::Via:
      case HeaderId::From:
      case HeaderId::CallId:
      case HeaderId::CSeq: response.header(f.id, request.value(f)); break;
      case HeaderId::To: {
        const std::string_view to = request.value(f);
        const auto parsed = request.to();
        if (status > 100 && !to_tag.empty() && parsed && !parsed->tag()) {
          std::string tagged(to);
          tagged.append(";tag=").append(to_tag);
          response.header(f.id, tagged);
        } else {
          response.header(f.id, to);
        }
        break;
      }
      case HeaderId::Timestamp:
        if (status == 100) response.header(f.id, request.value(f));
        break;
      default: break;
    }
  }
  return response;
}

}  // namespace voxgate::sip
