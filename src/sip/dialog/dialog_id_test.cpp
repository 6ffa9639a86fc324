#include "sip/dialog/dialog_id.hpp"

#include <gtest/gtest.h>

#include <unordered_map>
#include <unordered_set>

#include "sip/dialog/detail/test_messages.hpp"

namespace voxgate::sip {
namespace {

constexpr std::string_view kPeerBye =
    "BYE sip:gw@192.0.2.1 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKb1\n"
    "From: <sip:bob@example.com>;tag=theirs\n"
    "To: <sip:gw@voxgate.example>;tag=ours\n"
    "Call-ID: call-1@192.0.2.4\n"
    "CSeq: 9 BYE\n"
    "\n";

TEST(DialogId, ARequestFromThePeerHasOurTagInToAndTheirsInFrom) {
  auto id = dialog_id_of_request(dialog_detail::sip_message(kPeerBye));
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, (DialogId{"call-1@192.0.2.4", "ours", "theirs"}));
}

TEST(DialogId, AResponseToUsHasOurTagInFromAndTheirsInTo) {
  auto id =
      dialog_id_of_response(dialog_detail::sip_message("SIP/2.0 200 OK\n"
                                                       "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKi1\n"
                                                       "From: <sip:gw@voxgate.example>;tag=ours\n"
                                                       "To: <sip:bob@example.com>;tag=theirs\n"
                                                       "Call-ID: call-1@192.0.2.4\n"
                                                       "CSeq: 1 INVITE\n"
                                                       "\n"));
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, (DialogId{"call-1@192.0.2.4", "ours", "theirs"}));
  EXPECT_EQ(id->set_id(), (DialogSetId{"call-1@192.0.2.4", "ours"}));
}

TEST(DialogId, ARequestOutsideADialogHasAnEmptyLocalTag) {
  std::string text(kPeerBye);
  text.replace(text.find(";tag=ours"), 9, "");
  auto id = dialog_id_of_request(dialog_detail::sip_message(text));
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->local_tag.empty());
}

TEST(DialogId, EveryPartMattersAndCaseIsSignificant) {
  const DialogId id{"c@h", "l", "r"};
  EXPECT_NE(id, (DialogId{"C@h", "l", "r"}));
  EXPECT_NE(id, (DialogId{"c@h", "L", "r"}));
  EXPECT_NE(id, (DialogId{"c@h", "l", "R"}));
  EXPECT_NE(id, (DialogId{"c@h", "r", "l"})) << "local and remote are not interchangeable";
}

TEST(DialogId, WorksAsAHashKey) {
  std::unordered_map<DialogId, int> dialogs;
  dialogs[DialogId{"c@h", "l", "r1"}] = 1;
  dialogs[DialogId{"c@h", "l", "r2"}] = 2;
  dialogs[DialogId{"c@h", "l", "r1"}] = 3;
  EXPECT_EQ(dialogs.size(), 2U);
  EXPECT_EQ(dialogs.at(DialogId{"c@h", "l", "r1"}), 3);
  std::unordered_set<DialogSetId> sets{{"c@h", "l"}, {"c@h", "l"}, {"c@h", "m"}};
  EXPECT_EQ(sets.size(), 2U);
}

TEST(DialogId, HashSeparatesSwappedParts) {
  const std::hash<DialogId> h;
  EXPECT_NE(h(DialogId{"c", "a", "b"}), h(DialogId{"c", "b", "a"}));
}

TEST(DialogId, FormatsForLogs) {
  EXPECT_EQ(fmt::format("{}", DialogId{"c@h", "l", "r"}), "c@h;local=l;remote=r");
}

}  // namespace
}  // namespace voxgate::sip
