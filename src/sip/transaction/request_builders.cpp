#include "sip/transaction/request_builders.hpp"

#include <string>

#include "sip/message/builder.hpp"

namespace voxgate::sip {

namespace {

// The copies both builders share: Via (the first value only), Max-Forwards,
// Route, From, Call-ID and "CSeq: <number> <method>".
Result<MessageBuilder> start_like(const Message& original, Method method) {
  const auto vias = original.values(HeaderId::Via);
  const auto from = original.first_value(HeaderId::From);
  const auto call_id = original.first_value(HeaderId::CallId);
  const auto cseq = original.cseq();
  if (vias.empty() || !from || !call_id || !cseq) {
    return make_error(Errc::InvalidArgument, "the request lacks Via, From, Call-ID or CSeq");
  }
  MessageBuilder builder = MessageBuilder::request(method, original.request_uri_text());
  builder.header(HeaderId::Via, vias.front());
  builder.header(HeaderId::MaxForwards, "70");
  for (const HeaderField& field : original.fields()) {
    if (field.id == HeaderId::Route) builder.header(HeaderId::Route, original.value(field));
  }
  builder.header(HeaderId::From, *from);
  builder.header(HeaderId::CallId, *call_id);
  std::string cseq_value = std::to_string(cseq->sequence);
  cseq_value.append(" ").append(to_string(method));
  builder.header(HeaderId::CSeq, cseq_value);
  return builder;
}

}  // namespace

Result<Message> build_ack_for_non2xx(const Message& invite, const Message& response) {
  const auto to = response.first_value(HeaderId::To);
  if (!to) return make_error(Errc::InvalidArgument, "the response has no To header");
  auto builder = start_like(invite, Method::Ack);
  if (!builder) return tl::unexpected(std::move(builder.error()));
  builder->header(HeaderId::To, *to);
  return builder->build();
}

Result<Message> build_cancel(const Message& request) {
  const auto to = request.first_value(HeaderId::To);
  if (!to) return make_error(Errc::InvalidArgument, "the request has no To header");
  auto builder = start_like(request, Method::Cancel);
  if (!builder) return tl::unexpected(std::move(builder.error()));
  builder->header(HeaderId::To, *to);
  return builder->build();
}

}  // namespace voxgate::sip
