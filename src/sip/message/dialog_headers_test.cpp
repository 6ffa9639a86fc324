#include "sip/message/dialog_headers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

// ---- Replaces (RFC 3891 §6.1) ----

TEST(Replaces, ParsesCallIdAndBothTags) {
  auto r = parse_replaces("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->call_id, "98732@sip.example.com");
  EXPECT_EQ(r->to_tag, "ff87ff");
  EXPECT_EQ(r->from_tag, "r33th4x0r");
  EXPECT_FALSE(r->early_only);
  EXPECT_EQ(r->params.size(), 2u);
}

TEST(Replaces, ParsesEarlyOnlyFlag) {
  auto r = parse_replaces("12adf2f34456gs5;to-tag=12345;from-tag=54321;early-only");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->call_id, "12adf2f34456gs5");
  EXPECT_TRUE(r->early_only);
}

TEST(Replaces, AcceptsLwsQuotedTagsAndExtensionParameters) {
  auto r = parse_replaces("  a84b4c76e66710@pc33.atlanta.com ; To-Tag = \"1\" ;FROM-TAG=2;x=y ");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->call_id, "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(r->to_tag, "1");
  EXPECT_EQ(r->from_tag, "2");
  EXPECT_EQ(r->params.get("x"), "y");
}

TEST(Replaces, RequiresToTagAndFromTag) {
  for (std::string_view text :
       {"abc@host", "abc@host;to-tag=1", "abc@host;from-tag=2", "abc@host;to-tag;from-tag=2",
        "abc@host;to-tag=\"\";from-tag=2", "abc@host;to-tag=1;from-tag=\"\"", "abc@host;early-only"}) {
    auto r = parse_replaces(text);
    EXPECT_FALSE(r.has_value()) << "accepted: " << text;
  }
}

TEST(Replaces, RejectsMalformedCallIdOrTrailingText) {
  for (std::string_view text :
       {"", ";to-tag=1;from-tag=2", "a@b@c;to-tag=1;from-tag=2", "@b;to-tag=1;from-tag=2",
        "abc;to-tag=1;from-tag=2 junk", "abc def;to-tag=1;from-tag=2", "abc;to-tag=1;from-tag=2;"}) {
    auto r = parse_replaces(text);
    EXPECT_FALSE(r.has_value()) << "accepted: " << text;
  }
}

// ---- Event (RFC 6665 §8.2.1) ----

TEST(Event, ParsesPackageAndId) {
  auto e = parse_event("refer;id=93809824");
  ASSERT_TRUE(e.has_value()) << e.error().reason;
  EXPECT_EQ(e->package, "refer");
  EXPECT_EQ(e->id(), "93809824");
}

TEST(Event, ParsesPackageWithTemplateAndNoId) {
  auto e = parse_event("presence.winfo");
  ASSERT_TRUE(e.has_value()) << e.error().reason;
  EXPECT_EQ(e->package, "presence.winfo");
  EXPECT_FALSE(e->id().has_value());
}

TEST(Event, KeepsOtherParametersAndIdLookupIsCaseInsensitive) {
  auto e = parse_event(" dialog ; call-id=\"a@b\" ;ID=7 ;include-session-description ");
  ASSERT_TRUE(e.has_value()) << e.error().reason;
  EXPECT_EQ(e->package, "dialog");
  EXPECT_EQ(e->id(), "7");
  EXPECT_EQ(e->params.get("call-id"), "a@b");
  EXPECT_TRUE(e->params.has("include-session-description"));
}

TEST(Event, RejectsMalformedValues) {
  for (std::string_view text : {"", ";id=1", "refer id", "refer;", "refer;id=", "ref/er", "refer, dialog"}) {
    EXPECT_FALSE(parse_event(text).has_value()) << "accepted: " << text;
  }
}

// ---- Subscription-State (RFC 6665 §8.2.3) ----

TEST(SubscriptionState, ParsesActiveWithExpires) {
  auto s = parse_subscription_state("active;expires=3600");
  ASSERT_TRUE(s.has_value()) << s.error().reason;
  EXPECT_EQ(s->status, SubscriptionStatus::Active);
  EXPECT_EQ(s->status_text, "active");
  EXPECT_EQ(s->expires(), 3600u);
  EXPECT_FALSE(s->retry_after().has_value());
  EXPECT_FALSE(s->reason().has_value());
}

TEST(SubscriptionState, ParsesPendingAndTerminatedWithReasonAndRetryAfter) {
  auto p = parse_subscription_state("pending");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->status, SubscriptionStatus::Pending);
  EXPECT_FALSE(p->expires().has_value());

  auto t = parse_subscription_state("terminated;reason=timeout;retry-after=30");
  ASSERT_TRUE(t.has_value()) << t.error().reason;
  EXPECT_EQ(t->status, SubscriptionStatus::Terminated);
  EXPECT_EQ(t->reason(), "timeout");
  EXPECT_EQ(t->retry_after(), 30u);
}

TEST(SubscriptionState, StatesAreCaseInsensitive) {
  EXPECT_EQ(parse_subscription_state("ACTIVE")->status, SubscriptionStatus::Active);
  EXPECT_EQ(parse_subscription_state("Pending")->status, SubscriptionStatus::Pending);
  EXPECT_EQ(parse_subscription_state("TERMINATED")->status, SubscriptionStatus::Terminated);
}

TEST(SubscriptionState, KeepsExtensionStateText) {
  auto s = parse_subscription_state("waiting;x=1");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->status, SubscriptionStatus::Extension);
  EXPECT_EQ(s->status_text, "waiting");
  EXPECT_EQ(s->params.get("x"), "1");
}

TEST(SubscriptionState, AcceptsDeltaSecondsBounds) {
  EXPECT_EQ(parse_subscription_state("active;expires=0")->expires(), 0u);
  EXPECT_EQ(parse_subscription_state("active;expires=4294967295")->expires(), 4294967295u);
}

TEST(SubscriptionState, RejectsInvalidExpiresOrRetryAfter) {
  for (std::string_view text :
       {"active;expires=abc", "active;expires=4294967296", "active;expires", "terminated;retry-after=-1",
        "terminated;retry-after=4294967296", "terminated;retry-after"}) {
    EXPECT_FALSE(parse_subscription_state(text).has_value()) << "accepted: " << text;
  }
}

TEST(SubscriptionState, RejectsMalformedValues) {
  for (std::string_view text : {"", ";expires=1", "active expires=1", "active;", "active,pending"}) {
    EXPECT_FALSE(parse_subscription_state(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
