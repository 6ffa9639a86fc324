// The INVITE of a call we place (RFC 3261 §8.1.1).

#include "sip/dialog/invite_builder.hpp"

#include <gtest/gtest.h>

#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/test_messages.hpp"
#include "sip/dialog/dialog_set.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::sip {
namespace {

using dialog_detail::round_trip;

constexpr std::string_view kOffer =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

OutgoingInvite call_to_bob() {
  OutgoingInvite invite;
  invite.request_uri = "sip:bob@192.0.2.4:5062";
  invite.from = "\"Voxgate\" <sip:gw@voxgate.example>";
  invite.to = "Bob <sip:bob@biloxi.example.com>";
  invite.contact = "sip:gw@192.0.2.1:5060";
  invite.sdp_offer = std::string(kOffer);
  return invite;
}

InviteIdentity identity() {
  return InviteIdentity{"a1b2c3@192.0.2.1", "f00d", 1};
}

Message built(const OutgoingInvite& invite) {
  auto message = build_invite(invite, identity());
  EXPECT_TRUE(message) << (message ? "" : message.error().message);
  return round_trip(message.value_or(Message::request("INVITE", "sip:invalid")));
}

TEST(InviteBuilder, FillsTheMandatoryHeadersOfSection8_1_1) {
  const Message invite = built(call_to_bob());
  EXPECT_EQ(invite.method(), Method::Invite);
  EXPECT_EQ(invite.request_uri_text(), "sip:bob@192.0.2.4:5062");
  EXPECT_EQ(*invite.first_value(HeaderId::To), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(*invite.first_value(HeaderId::From), "\"Voxgate\" <sip:gw@voxgate.example>;tag=f00d");
  EXPECT_EQ(*invite.call_id(), "a1b2c3@192.0.2.1");
  EXPECT_EQ(invite.cseq()->sequence, 1U);
  EXPECT_EQ(invite.cseq()->method, Method::Invite);
  EXPECT_EQ(*invite.get<HeaderId::MaxForwards>(), 70);
  EXPECT_EQ(*invite.first_value(HeaderId::Contact), "<sip:gw@192.0.2.1:5060>");
  EXPECT_FALSE(invite.has(HeaderId::Via)) << "the transport adds the Via";
}

TEST(InviteBuilder, ListsOurMethodsInAllow) {
  const Message invite = built(call_to_bob());
  auto allow = invite.get_all<HeaderId::Allow>();
  ASSERT_TRUE(allow);
  ASSERT_EQ(allow->size(), kAllowedMethods.size());
  for (std::size_t i = 0; i < kAllowedMethods.size(); ++i) {
    EXPECT_EQ(method_from_token((*allow)[i]), kAllowedMethods[i]);
  }
  EXPECT_EQ(invite.values(HeaderId::Supported), (HeaderValues{"timer"}));  // RFC 4028 §7.1
}

TEST(InviteBuilder, CarriesTheOfferAsApplicationSdp) {
  const Message invite = built(call_to_bob());
  EXPECT_EQ(invite.body(), kOffer);
  EXPECT_TRUE(invite.get<HeaderId::ContentType>()->is("application", "sdp"));
  EXPECT_EQ(*invite.get<HeaderId::ContentLength>(), kOffer.size());
}

TEST(InviteBuilder, WithoutOfferHasNoBodyAndNoContentType) {
  OutgoingInvite invite = call_to_bob();
  invite.sdp_offer.clear();
  const Message message = built(invite);
  EXPECT_TRUE(message.body().empty());
  EXPECT_FALSE(message.has(HeaderId::ContentType));
  EXPECT_EQ(*message.get<HeaderId::ContentLength>(), 0U);
}

TEST(InviteBuilder, APreloadedRouteLeadsAndDecidesTheNextHop) {
  OutgoingInvite invite = call_to_bob();
  invite.route = {"<sip:192.0.2.200;lr;transport=tcp>", "<sip:192.0.2.201;lr>"};
  const Message message = built(invite);
  const auto routes = message.values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 2U);
  EXPECT_EQ(routes[0], "<sip:192.0.2.200;lr;transport=tcp>");
  auto hop = next_hop_of_request(message);
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->address.ip.to_string(), "192.0.2.200");
  EXPECT_EQ(hop->transport, TransportKind::Tcp);
}

TEST(InviteBuilder, PassesValidationOnceTheTransportAddsAVia) {
  Message message = built(call_to_bob());
  message.insert_header(0, HeaderId::Via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport");
  EXPECT_TRUE(validate_message(round_trip(message)));
}

TEST(InviteBuilder, StartsADialogSet) {
  auto set = DialogSet::from_invite(built(call_to_bob()));
  ASSERT_TRUE(set);
  EXPECT_EQ(set->id(), (DialogSetId{"a1b2c3@192.0.2.1", "f00d"}));
}

TEST(InviteBuilder, RefusesMalformedAddressesAndUris) {
  OutgoingInvite invite = call_to_bob();
  invite.request_uri = "bob at home";
  EXPECT_FALSE(build_invite(invite, identity()));
  invite = call_to_bob();
  invite.request_uri = "http://example.com/";
  EXPECT_FALSE(build_invite(invite, identity()));
  invite = call_to_bob();
  invite.from = "<sip:gw@voxgate.example";
  EXPECT_FALSE(build_invite(invite, identity()));
  invite = call_to_bob();
  invite.to = "<sip:bob@example.com>;tag=already";
  EXPECT_FALSE(build_invite(invite, identity())) << "a new call's To has no tag";
  invite = call_to_bob();
  invite.contact = "";
  EXPECT_FALSE(build_invite(invite, identity()));
  invite = call_to_bob();
  invite.route = {"sip:192.0.2.200;lr"};
  EXPECT_FALSE(build_invite(invite, identity())) << "a Route value must be bracketed";
  EXPECT_FALSE(build_invite(call_to_bob(), InviteIdentity{"", "f00d", 1}));
}

TEST(InviteBuilder, NewIdentityDrawsCallIdAndTagFromTheRandomSource) {
  const RandomBits random = [n = std::uint64_t{0}]() mutable { return ++n; };
  const InviteIdentity identity = new_invite_identity(random, "192.0.2.1");
  EXPECT_EQ(identity.call_id, "00000000000000010000000000000002@192.0.2.1");
  EXPECT_EQ(identity.from_tag, "0000000000000003");
  EXPECT_EQ(identity.cseq, 1U);
}

}  // namespace
}  // namespace voxgate::sip
