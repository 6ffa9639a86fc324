#include "sip/dialog/invite_builder.hpp"

#include <fmt/format.h>

#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/name_addr.hpp"

namespace voxgate::sip {

namespace {

Result<void> check_address(std::string_view what, std::string_view value, AddressForm form) {
  auto parsed = parse_name_addr(value, form);
  if (!parsed) return make_error(Errc::InvalidArgument, "{}: {}", what, parsed.error().reason);
  if (parsed->tag()) return make_error(Errc::InvalidArgument, "{} must not carry a tag", what);
  return {};
}

Result<void> check_uri(std::string_view what, std::string_view value) {
  auto parsed = parse_uri(value);
  if (!parsed) return make_error(Errc::InvalidArgument, "{}: {}", what, parsed.error().reason);
  if (!parsed->is_sip() && parsed->scheme != UriScheme::Tel) {
    return make_error(Errc::InvalidArgument, "{} '{}' is not a sip, sips or tel URI", what, value);
  }
  return {};
}

}  // namespace

InviteIdentity new_invite_identity(const RandomBits& random, std::string_view host) {
  InviteIdentity identity;
  identity.call_id = make_call_id(random, host);
  identity.from_tag = make_tag(random);
  return identity;
}

Result<Message> build_invite(const OutgoingInvite& invite, const InviteIdentity& identity) {
  if (auto ok = check_uri("Request-URI", invite.request_uri); !ok) return tl::unexpected(std::move(ok.error()));
  if (auto ok = check_address("From", invite.from, AddressForm::Any); !ok) return tl::unexpected(std::move(ok.error()));
  if (auto ok = check_address("To", invite.to, AddressForm::Any); !ok) return tl::unexpected(std::move(ok.error()));
  if (auto ok = check_uri("Contact", invite.contact); !ok) return tl::unexpected(std::move(ok.error()));
  for (const std::string& route : invite.route) {
    if (auto ok = check_address("Route", route, AddressForm::NameAddrOnly); !ok) {
      return tl::unexpected(std::move(ok.error()));
    }
  }
  if (identity.call_id.empty() || identity.from_tag.empty()) {
    return make_error(Errc::InvalidArgument, "an INVITE needs a Call-ID and a From tag");
  }

  MessageBuilder builder = MessageBuilder::request(Method::Invite, invite.request_uri);
  for (const std::string& route : invite.route) builder.header(HeaderId::Route, route);
  builder.header(HeaderId::MaxForwards, kMaxForwards)
      .header(HeaderId::From, fmt::format("{};tag={}", invite.from, identity.from_tag))
      .header(HeaderId::To, invite.to)
      .header(HeaderId::CallId, identity.call_id)
      .header(HeaderId::CSeq, fmt::format("{} INVITE", identity.cseq))
      .header(HeaderId::Contact, fmt::format("<{}>", invite.contact))
      .header(HeaderId::Allow, kAllowHeader);
  if (!kSupportedOptionTags.empty()) builder.header(HeaderId::Supported, supported_header_value());
  if (!invite.sdp_offer.empty()) builder.body("application/sdp", invite.sdp_offer);
  return builder.build();
}

}  // namespace voxgate::sip
