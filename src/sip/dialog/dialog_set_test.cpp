// The dialogs of one INVITE through a forking proxy (RFC 3261 §12.1.2,
// §13.2.2.4).

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/detail/test_messages.hpp"
#include "sip/dialog/dialog_set.hpp"

namespace voxgate::sip {
namespace {

using dialog_detail::sip_message;
using UpdateKind = DialogSetUpdate::Kind;

constexpr std::string_view kForkedInvite =
    "INVITE sip:sales@192.0.2.50 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKfork1;rport\n"
    "Max-Forwards: 70\n"
    "From: <sip:gw@voxgate.example>;tag=77aa01\n"
    "To: <sip:sales@example.com>\n"
    "Call-ID: c0ffee@192.0.2.1\n"
    "CSeq: 5 INVITE\n"
    "Contact: <sip:gw@192.0.2.1>\n"
    "\n";

// A response from one branch of the fork: `to_tag` empty for none.
Message response(std::uint16_t status, std::string_view to_tag, std::string_view contact_host,
                 std::string_view call_id = "c0ffee@192.0.2.1", std::string_view cseq = "5 INVITE") {
  std::string text = "SIP/2.0 " + std::to_string(status) + " Whatever\n";
  text += "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKfork1;rport=5060\n";
  text += "Record-Route: <sip:192.0.2.50;lr>\n";
  text += "From: <sip:gw@voxgate.example>;tag=77aa01\n";
  text += "To: <sip:sales@example.com>";
  if (!to_tag.empty()) text += ";tag=" + std::string(to_tag);
  text += "\nCall-ID: " + std::string(call_id) + "\nCSeq: " + std::string(cseq) + "\n";
  if (!contact_host.empty()) text += "Contact: <sip:desk@" + std::string(contact_host) + ">\n";
  text += "\n";
  return sip_message(text);
}

DialogSet dialog_set() {
  auto set = DialogSet::from_invite(sip_message(kForkedInvite));
  EXPECT_TRUE(set) << (set ? "" : set.error().message);
  return std::move(*set);
}

TEST(DialogSet, IsKeyedByCallIdAndOurFromTag) {
  const DialogSet set = dialog_set();
  EXPECT_EQ(set.id(), (DialogSetId{"c0ffee@192.0.2.1", "77aa01"}));
  EXPECT_EQ(set.invite_cseq(), 5U);
}

TEST(DialogSet, TryingAndTaglessRingingCreateNoDialog) {
  DialogSet set = dialog_set();
  EXPECT_EQ(set.on_invite_response(response(100, "", ""))->kind, UpdateKind::Provisional);
  EXPECT_EQ(set.on_invite_response(response(180, "", "192.0.2.61"))->kind, UpdateKind::Provisional);
  EXPECT_EQ(set.size(), 0U);
}

TEST(DialogSet, TwoBranchesRingingMakeTwoEarlyDialogsThenOneAnswerConfirmsOnlyItsOwn) {
  DialogSet set = dialog_set();
  auto first = set.on_invite_response(response(180, "desk1", "192.0.2.61"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, UpdateKind::EarlyCreated);
  auto second = set.on_invite_response(response(183, "desk2", "192.0.2.62"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->kind, UpdateKind::EarlyCreated);
  EXPECT_EQ(set.size(), 2U);
  EXPECT_EQ(set.count(DialogState::Early), 2U);

  auto answer = set.on_invite_response(response(200, "desk2", "192.0.2.62"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->kind, UpdateKind::Confirmed);
  EXPECT_FALSE(answer->created);
  ASSERT_NE(answer->dialog, nullptr);
  EXPECT_EQ(answer->dialog->id().remote_tag, "desk2");
  EXPECT_EQ(set.find("desk2")->state(), DialogState::Confirmed);
  EXPECT_EQ(set.find("desk1")->state(), DialogState::Early);
  EXPECT_EQ(set.find("desk1")->remote_target(), "sip:desk@192.0.2.61");
}

TEST(DialogSet, TheLosingEarlyDialogsEndAsSupersededAndCanBeForgotten) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(180, "desk1", "192.0.2.61")));
  ASSERT_TRUE(set.on_invite_response(response(180, "desk2", "192.0.2.62")));
  ASSERT_TRUE(set.on_invite_response(response(200, "desk2", "192.0.2.62")));
  EXPECT_EQ(set.terminate_early(DialogEndReason::Superseded), 1U);
  EXPECT_EQ(set.find("desk1")->end_reason(), DialogEndReason::Superseded);
  set.remove_terminated();
  EXPECT_EQ(set.size(), 1U);
  EXPECT_EQ(set.find("desk1"), nullptr);
}

TEST(DialogSet, A2xxFromABranchThatNeverRangCreatesAConfirmedDialog) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(180, "desk1", "192.0.2.61")));
  auto answer = set.on_invite_response(response(200, "desk3", "192.0.2.63"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->kind, UpdateKind::Confirmed);
  EXPECT_TRUE(answer->created);
  EXPECT_EQ(set.count(DialogState::Confirmed), 1U);
}

TEST(DialogSet, TwoBranchesAnsweringGiveTwoConfirmedDialogs) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(200, "desk1", "192.0.2.61")));
  ASSERT_TRUE(set.on_invite_response(response(200, "desk2", "192.0.2.62")));
  EXPECT_EQ(set.count(DialogState::Confirmed), 2U);
}

TEST(DialogSet, ARetransmitted2xxIsReportedForAnotherAck) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(200, "desk1", "192.0.2.61")));
  auto again = set.on_invite_response(response(200, "desk1", "192.0.2.61"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kind, UpdateKind::Retransmission);
  EXPECT_EQ(again->dialog->id().remote_tag, "desk1");
}

TEST(DialogSet, A1xxAfterTheAnswerIsIgnored) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(200, "desk1", "192.0.2.61")));
  EXPECT_EQ(set.on_invite_response(response(180, "desk1", "192.0.2.61"))->kind, UpdateKind::Ignored);
}

TEST(DialogSet, AFinalFailureEndsEveryEarlyDialogAsRejected) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(180, "desk1", "192.0.2.61")));
  ASSERT_TRUE(set.on_invite_response(response(180, "desk2", "192.0.2.62")));
  auto failed = set.on_invite_response(response(486, "desk2", ""));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->kind, UpdateKind::Failed);
  EXPECT_EQ(set.count(DialogState::Terminated), 2U);
  EXPECT_EQ(set.find("desk1")->end_reason(), DialogEndReason::Rejected);
}

TEST(DialogSet, A2xxAfterCancelOnAnEndedBranchStillMakesADialogToAcknowledge) {
  DialogSet set = dialog_set();
  ASSERT_TRUE(set.on_invite_response(response(180, "desk1", "192.0.2.61")));
  ASSERT_EQ(set.terminate_early(DialogEndReason::Cancelled), 1U);
  auto late = set.on_invite_response(response(200, "desk1", "192.0.2.61"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->kind, UpdateKind::Confirmed);
  EXPECT_TRUE(late->created);
  EXPECT_EQ(late->dialog->state(), DialogState::Confirmed);
  EXPECT_TRUE(late->dialog->build_ack(5));
}

TEST(DialogSet, ResponsesOfAnotherCallOrTransactionAreRefused) {
  DialogSet set = dialog_set();
  EXPECT_FALSE(set.on_invite_response(response(180, "desk1", "192.0.2.61", "other@192.0.2.1")));
  EXPECT_FALSE(set.on_invite_response(response(180, "desk1", "192.0.2.61", "c0ffee@192.0.2.1", "6 INVITE")));
  EXPECT_FALSE(set.on_invite_response(response(200, "desk1", "192.0.2.61", "c0ffee@192.0.2.1", "5 BYE")));
  EXPECT_EQ(set.size(), 0U);
}

TEST(DialogSet, ForkingBeyondTheLimitIsRefused) {
  DialogSet set = dialog_set();
  for (std::size_t i = 0; i < kMaxDialogsPerSet; ++i) {
    ASSERT_TRUE(set.on_invite_response(response(180, "branch" + std::to_string(i), "192.0.2.61")));
  }
  auto one_more = set.on_invite_response(response(180, "branch-extra", "192.0.2.61"));
  ASSERT_FALSE(one_more);
  EXPECT_EQ(one_more.error().code, Errc::LimitExceeded);
  EXPECT_EQ(set.size(), kMaxDialogsPerSet);
  EXPECT_EQ(set.on_invite_response(response(180, "branch0", "192.0.2.61"))->kind, UpdateKind::EarlyUpdated);
}

TEST(DialogSet, OnlyAnInviteStartsASet) {
  std::string options(kForkedInvite);
  options.replace(0, 6, "OPTIONS");
  options.replace(options.find("5 INVITE"), 8, "5 OPTIONS");
  EXPECT_FALSE(DialogSet::from_invite(sip_message(options)));
}

}  // namespace
}  // namespace voxgate::sip
