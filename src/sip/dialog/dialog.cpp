#include "sip/dialog/dialog.hpp"

#include <limits>
#include <vector>

#include <fmt/format.h>

#include "sip/dialog/detail/address_text.hpp"
#include "sip/dialog/detail/parsed.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/message/builder.hpp"

namespace voxgate::sip {

namespace {

using dialog_detail::address_without_tag;
using dialog_detail::checked;
using dialog_detail::first_contact_uri;

// A response that creates a dialog: 101-199 with a To tag, or 2xx (§12.1).
Result<void> check_dialog_creating(const Message& response) {
  if (!response.is_response()) return make_error(Errc::InvalidArgument, "expected a response, got a request");
  const std::uint16_t status = response.status();
  if (status <= 100 || status >= 300) {
    return make_error(Errc::InvalidArgument, "a {} response does not create a dialog", status);
  }
  return {};
}

Result<void> check_invite(const Message& request) {
  if (!request.is_request() || request.method() != Method::Invite) {
    return make_error(Errc::InvalidArgument, "a dialog is created by an INVITE");
  }
  return {};
}

}  // namespace

Result<Dialog> Dialog::create_uas(const Message& invite, const Message& response) {
  if (auto ok = check_invite(invite); !ok) return tl::unexpected(std::move(ok.error()));
  if (auto ok = check_dialog_creating(response); !ok) return tl::unexpected(std::move(ok.error()));
  auto call_id = checked(invite.call_id());
  if (!call_id) return tl::unexpected(std::move(call_id.error()));
  auto from = checked(invite.from());
  if (!from) return tl::unexpected(std::move(from.error()));
  auto to = checked(invite.to());
  if (!to) return tl::unexpected(std::move(to.error()));
  auto cseq = checked(invite.cseq());
  if (!cseq) return tl::unexpected(std::move(cseq.error()));
  auto our_to = checked(response.to());
  if (!our_to) return tl::unexpected(std::move(our_to.error()));
  const auto local_tag = our_to->tag();
  if (!local_tag || local_tag->empty()) {
    return make_error(Errc::InvalidArgument, "our {} has no To tag to create a dialog with", response.status());
  }
  // §8.1.1.8: an INVITE must carry the Contact that becomes the remote target.
  auto remote_target = first_contact_uri(invite);
  if (!remote_target) return make_error(Errc::InvalidArgument, "INVITE without Contact creates no dialog");
  // §12.1.1: the UAS puts its own Contact in the response.
  auto local_contact = first_contact_uri(response);
  if (!local_contact) return make_error(Errc::InvalidArgument, "our {} has no Contact", response.status());
  auto routes = route_set_from_record_route(invite, RouteOrder::AsReceived);
  if (!routes) return tl::unexpected(std::move(routes.error()));

  Dialog d;
  d.role_ = DialogRole::Uas;
  d.id_ = DialogId{std::string(*call_id), std::string(*local_tag), std::string(from->tag().value_or(""))};
  d.state_ = response.status() >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.remote_cseq_ = cseq->sequence;
  d.local_uri_ = address_without_tag(*to);
  d.remote_uri_ = address_without_tag(*from);
  d.remote_target_ = std::move(*remote_target);
  d.local_contact_ = std::move(*local_contact);
  d.route_set_ = std::move(*routes);
  return d;
}

Result<Dialog> Dialog::create_uac(const Message& request, const Message& response) {
  if (auto ok = check_invite(request); !ok) return tl::unexpected(std::move(ok.error()));
  if (auto ok = check_dialog_creating(response); !ok) return tl::unexpected(std::move(ok.error()));
  auto call_id = checked(request.call_id());
  if (!call_id) return tl::unexpected(std::move(call_id.error()));
  auto from = checked(request.from());
  if (!from) return tl::unexpected(std::move(from.error()));
  auto to = checked(request.to());
  if (!to) return tl::unexpected(std::move(to.error()));
  auto cseq = checked(request.cseq());
  if (!cseq) return tl::unexpected(std::move(cseq.error()));
  auto their_to = checked(response.to());
  if (!their_to) return tl::unexpected(std::move(their_to.error()));
  const auto remote_tag = their_to->tag();
  if (response.status() < 200 && (!remote_tag || remote_tag->empty())) {
    return make_error(Errc::InvalidArgument, "a {} without To tag creates no dialog", response.status());
  }
  const auto local_tag = from->tag();
  if (!local_tag || local_tag->empty()) return make_error(Errc::InvalidArgument, "our INVITE has no From tag");
  auto local_contact = first_contact_uri(request);
  if (!local_contact) return make_error(Errc::InvalidArgument, "our INVITE has no Contact");
  // §12.1.2 wants the response's Contact. Some gateways send 180 (even 200)
  // without one; the Request-URI still reaches the peer, which is better
  // than refusing a call the far end considers answered.
  auto remote_target = first_contact_uri(response);
  if (!remote_target) remote_target = std::string(request.request_uri_text());
  auto routes = route_set_from_record_route(response, RouteOrder::Reversed);
  if (!routes) return tl::unexpected(std::move(routes.error()));

  Dialog d;
  d.role_ = DialogRole::Uac;
  d.id_ = DialogId{std::string(*call_id), std::string(*local_tag), std::string(remote_tag.value_or(""))};
  d.state_ = response.status() >= 200 ? DialogState::Confirmed : DialogState::Early;
  d.local_cseq_ = cseq->sequence;
  d.local_uri_ = address_without_tag(*from);
  d.remote_uri_ = address_without_tag(*to);
  d.remote_target_ = std::move(*remote_target);
  d.local_contact_ = std::move(*local_contact);
  d.route_set_ = std::move(*routes);
  return d;
}

Result<void> Dialog::set_state(DialogState to) {
  if (auto ok = check_transition(state_, to); !ok) return ok;
  state_ = to;
  return {};
}

Result<void> Dialog::confirm() {
  return set_state(DialogState::Confirmed);
}

Result<void> Dialog::terminate(DialogEndReason reason) {
  if (auto ok = set_state(DialogState::Terminated); !ok) return ok;
  end_reason_ = reason;
  return {};
}

Result<InviteResponseEffect> Dialog::on_invite_response(const Message& response) {
  if (role_ != DialogRole::Uac) return make_error(Errc::InvalidState, "only a UAC dialog gets INVITE responses");
  if (!response.is_response()) return make_error(Errc::InvalidArgument, "expected a response, got a request");
  auto to = checked(response.to());
  if (!to) return tl::unexpected(std::move(to.error()));
  if (to->tag().value_or("") != id_.remote_tag) {
    return make_error(Errc::InvalidArgument, "response To tag '{}' is not this dialog's '{}'", to->tag().value_or(""),
                      id_.remote_tag);
  }
  const std::uint16_t status = response.status();
  if (status < 200) {
    if (state_ != DialogState::Early) return InviteResponseEffect::None;
    if (auto target = first_contact_uri(response)) remote_target_ = std::move(*target);
    return InviteResponseEffect::EarlyUpdated;
  }
  if (status < 300) {
    if (state_ != DialogState::Early) return InviteResponseEffect::Retransmission;
    // §12.1.2 / §13.2.2.4: the 2xx fixes the route set and the remote target.
    auto routes = route_set_from_record_route(response, RouteOrder::Reversed);
    if (!routes) return tl::unexpected(std::move(routes.error()));
    if (auto ok = confirm(); !ok) return tl::unexpected(std::move(ok.error()));
    route_set_ = std::move(*routes);
    if (auto target = first_contact_uri(response)) remote_target_ = std::move(*target);
    return InviteResponseEffect::Confirmed;
  }
  if (state_ != DialogState::Early) return InviteResponseEffect::None;
  if (auto ok = terminate(DialogEndReason::Rejected); !ok) return tl::unexpected(std::move(ok.error()));
  return InviteResponseEffect::Ended;
}

RequestDecision Dialog::on_request(const Message& request, std::uint32_t retry_after_seconds) {
  const Method method = request.method();
  if (method == Method::Ack || method == Method::Cancel) {
    if (method == Method::Ack && state_ == DialogState::Terminated) {
      return RequestDecision::drop("ACK for a terminated dialog");
    }
    return RequestDecision::proceed();
  }
  if (state_ == DialogState::Terminated) return RequestDecision::respond(make_response(request, 481).build());
  auto cseq = request.cseq();
  if (!cseq) return RequestDecision::respond(make_response(request, 400, cseq.error().reason).build());
  // §12.2.2: a request older than the last one seen is out of order.
  if (remote_cseq_ && cseq->sequence < *remote_cseq_) {
    return RequestDecision::respond(make_response(request, 500, "Out of Order CSeq")
                                        .header(HeaderId::RetryAfter, fmt::format_int(retry_after_seconds).c_str())
                                        .build());
  }
  remote_cseq_ = cseq->sequence;
  if (is_target_refresh(method)) {
    if (auto target = first_contact_uri(request)) remote_target_ = std::move(*target);
  }
  return RequestDecision::proceed();
}

InDialogResponseEffect Dialog::on_response(const Message& response) {
  const std::uint16_t status = response.status();
  if (status == 481 || status == 408) {
    if (state_ == DialogState::Terminated) return InDialogResponseEffect::None;
    (void)terminate(DialogEndReason::PeerGone);  // Early or Confirmed: always allowed
    return InDialogResponseEffect::Ended;
  }
  if (status >= 200 && status < 300) {
    auto cseq = response.cseq();
    if (cseq && is_target_refresh(cseq->method)) {
      if (auto target = first_contact_uri(response)) {
        remote_target_ = std::move(*target);
        return InDialogResponseEffect::TargetRefreshed;
      }
    }
  }
  return InDialogResponseEffect::None;
}

Result<Message> Dialog::build(Method method, std::uint32_t cseq, bool with_contact) const {
  // §12.2.1.1: loose routing keeps the remote target in the Request-URI;
  // a strict router's URI takes its place, the target goes last in Route.
  std::string request_uri = remote_target_;
  std::vector<std::string> routes;
  if (!route_set_.empty()) {
    if (route_set_.front().loose) {
      for (const RouteEntry& r : route_set_) routes.push_back(r.value);
    } else {
      auto first = checked(parse_uri(route_set_.front().uri));
      if (!first) return tl::unexpected(std::move(first.error()));
      request_uri = dialog_detail::request_uri_form(*first);
      for (std::size_t i = 1; i < route_set_.size(); ++i) routes.push_back(route_set_[i].value);
      routes.push_back(fmt::format("<{}>", remote_target_));
    }
  }
  MessageBuilder builder = MessageBuilder::request(method, request_uri);
  for (const std::string& r : routes) builder.header(HeaderId::Route, r);
  builder.header(HeaderId::MaxForwards, kMaxForwards);
  builder.header(HeaderId::From, fmt::format("{};tag={}", local_uri_, id_.local_tag));
  builder.header(HeaderId::To,
                 id_.remote_tag.empty() ? remote_uri_ : fmt::format("{};tag={}", remote_uri_, id_.remote_tag));
  builder.header(HeaderId::CallId, id_.call_id);
  builder.header(HeaderId::CSeq, fmt::format("{} {}", cseq, to_string(method)));
  if (with_contact) builder.header(HeaderId::Contact, fmt::format("<{}>", local_contact_));
  return builder.build();
}

Result<Message> Dialog::build_request(Method method) {
  if (method == Method::Ack || method == Method::Cancel || method == Method::Extension) {
    return make_error(Errc::InvalidArgument, "{} is not built as a new request in the dialog",
                      method == Method::Extension ? "an extension method" : to_string(method));
  }
  if (state_ == DialogState::Terminated) {
    return make_error(Errc::InvalidState, "no {} in a terminated dialog", to_string(method));
  }
  // §14.1: no re-INVITE while an INVITE is in progress, and an early
  // dialog's INVITE still is.
  if (method == Method::Invite && state_ == DialogState::Early) {
    return make_error(Errc::InvalidState, "no re-INVITE in an early dialog");
  }
  if (local_cseq_ == std::numeric_limits<std::uint32_t>::max()) {
    return make_error(Errc::LimitExceeded, "local CSeq would overflow");
  }
  // §12.2.1.1: an empty local sequence number starts anywhere below 2^31.
  const std::uint32_t cseq = local_cseq_ ? *local_cseq_ + 1 : 1;
  auto request = build(method, cseq, is_target_refresh(method));
  if (request) local_cseq_ = cseq;
  return request;
}

Result<Message> Dialog::build_ack(std::uint32_t invite_cseq, std::string_view sdp) const {
  // Whoever sent the INVITE acknowledges its 2xx: the dialog's UAC for the
  // first one, either side for a re-INVITE (§14.1). A UAS that has sent no
  // request has no INVITE of its own to acknowledge.
  if (role_ == DialogRole::Uas && (!local_cseq_ || invite_cseq > *local_cseq_)) {
    return make_error(Errc::InvalidState, "no INVITE of ours has CSeq {}", invite_cseq);
  }
  // Any state: every retransmission of the 2xx is acknowledged (§13.2.2.4),
  // even after we have sent BYE.
  auto ack = build(Method::Ack, invite_cseq, false);
  if (ack && !sdp.empty()) ack->set_body(sdp, "application/sdp");
  return ack;
}

Result<Message> Dialog::build_bye() {
  if (role_ == DialogRole::Uas && state_ == DialogState::Early) {
    return make_error(Errc::InvalidState, "a UAS must not send BYE on an early dialog (RFC 3261 §15)");
  }
  return build_request(Method::Bye);
}

Result<Target> Dialog::next_hop() const {
  if (!route_set_.empty()) return next_hop_for_uri(route_set_.front().uri);
  return next_hop_for_uri(remote_target_);
}

}  // namespace voxgate::sip
