// Sessions end to end: a gateway (a) and a peer (b), each a SessionManager
// over its own dialog layer, media and registry, calling each other over
// real UDP sockets and RTP on 127.0.0.1.

#include "session/session_manager.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "media/apps/basic_apps.hpp"
#include "session/detail/session_fixture.hpp"

namespace voxgate::session::test {
namespace {

using namespace std::chrono_literals;

// A second of 1 kHz tone at 8 kHz, loud enough to tell from silence.
std::vector<std::int16_t> one_second_of_tone() {
  std::vector<std::int16_t> pcm(8000);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<std::int16_t>(8000 * std::sin(2 * 3.14159265358979 * 1000 * static_cast<double>(i) / 8000));
  }
  return pcm;
}

std::vector<SessionState> states_of(const Session& session) {
  std::vector<SessionState> out{SessionState::Initializing};
  for (const auto& change : session.machine().history()) out.push_back(change.to);
  return out;
}

class Sessions : public SessionFixture {};

TEST_F(Sessions, AnAcceptedCallDeliversTheCallersAudioAndDigitsToTheAppAndEndsAccountedFor) {
  start();
  auto heard = std::make_shared<AppLog>();
  a_->policy.decide = [heard](const IncomingCall& call) {
    EXPECT_EQ(call.from.uri, "sip:peer@127.0.0.1");
    EXPECT_EQ(call.from.display_name, "Peer");
    EXPECT_EQ(call.source, "127.0.0.1");
    auto decision = IncomingDecision::accept(std::make_unique<RecordingApp>(heard, true));
    decision.metadata["route"] = "test";
    return decision;
  };
  auto caller_log = std::make_shared<AppLog>();
  const auto tone = one_second_of_tone();
  const SessionId b_id = call_a(std::make_unique<RecordingApp>(caller_log, false, [&tone](Session& s) {
    EXPECT_TRUE(s.play_audio(tone));
    EXPECT_TRUE(s.send_dtmf("12#"));
  }));

  ASSERT_TRUE(eventually([&] { return heard->digits == "12#" && heard->loud_frames >= 20; }))
      << "digits '" << on_loop([&] { return heard->digits; }) << "', loud frames "
      << on_loop([&] { return heard->loud_frames; });
  const SessionId a_id = on_loop([&] { return a_session(); });
  on_loop([&] {
    const SessionRecord a = record(*a_, a_id);
    EXPECT_EQ(a.state, SessionState::Connected);
    EXPECT_EQ(a.media_state, MediaState::Active);
    EXPECT_EQ(a.direction, Direction::Inbound);
    EXPECT_EQ(a.remote.uri, "sip:peer@127.0.0.1");
    EXPECT_EQ(a.metadata.at("route"), "test");
    EXPECT_FALSE(a.local_tag.empty());
    ASSERT_TRUE(a.media.has_value());
    EXPECT_EQ(a.media->codec, "PCMU/8000");
    const SessionRecord b = record(*b_, b_id);
    EXPECT_EQ(b.direction, Direction::Outbound);
    EXPECT_EQ(b.call_id, a.call_id);
    EXPECT_EQ(b.remote_tag, a.local_tag);
    EXPECT_EQ(b.state, SessionState::Connected);
    EXPECT_TRUE(b_->manager.find(b_id)->hangup("Q.850;cause=16"));
  });

  ASSERT_TRUE(eventually([&] { return terminated(*a_, a_id) && terminated(*b_, b_id); }));
  on_loop([&] {
    const SessionRecord a = record(*a_, a_id);
    ASSERT_TRUE(a.end_info.has_value());
    EXPECT_EQ(a.end_info->by, EndedBy::Remote);
    EXPECT_EQ(a.end_info->cause, TransitionCause::HangupRemote);
    EXPECT_EQ(a.media_state, MediaState::None);
    const SessionRecord b = record(*b_, b_id);
    EXPECT_EQ(b.end_info->by, EndedBy::Local);
    EXPECT_EQ(b.end_info->reason, "Q.850;cause=16");
    ASSERT_TRUE(heard->end.has_value());
    EXPECT_EQ(heard->events.front(), "started");
    EXPECT_EQ(heard->events.back(), "ended");
    RegistryCounts one_ended{1, 0, 1, 1, 0};
    one_ended.by_state[static_cast<std::size_t>(SessionState::Terminated)] = 1;
    EXPECT_EQ(a_->registry->counts(), one_ended);
    EXPECT_EQ(a_->manager.stats().answered, 1U);
    EXPECT_EQ(a_->manager.stats().ended, 1U);
    EXPECT_EQ(a_->manager.stats().dtmf_digits, 3U);
  });
  // Collected on a later turn; the slot went back to the limits.
  ASSERT_TRUE(eventually([&] { return a_->manager.sessions() == 0 && b_->manager.sessions() == 0; }));
  EXPECT_EQ(a_->limits.counts().in_use, 0U);
}

TEST_F(Sessions, TheStateHistoryOfAnAnsweredCallIsComplete) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr, nullptr, 100ms); };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Connected; }));
  on_loop([&] {
    const Session* a = a_->manager.find(a_session());
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(states_of(*a),
              (std::vector<SessionState>{SessionState::Initializing, SessionState::Ringing, SessionState::Connected}));
    const Session* b = b_->manager.find(b_id);
    EXPECT_EQ(states_of(*b), (std::vector<SessionState>{SessionState::Initializing, SessionState::Dialing,
                                                        SessionState::Ringing, SessionState::Connected}));
    EXPECT_TRUE(a_->manager.find(a_session())->hangup());
  });
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id); }));
  EXPECT_EQ(record(*b_, b_id).end_info->by, EndedBy::Remote);
}

TEST_F(Sessions, ARejectedCallEndsOnBothSidesWithTheStatus) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::reject(486, "Busy Here"); };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id) && terminated(*a_, a_session()); }));
  const SessionRecord b = record(*b_, b_id);
  EXPECT_EQ(b.end_info->sip_status, 486);
  EXPECT_EQ(b.end_info->by, EndedBy::Remote);
  const SessionRecord a = record(*a_, on_loop([&] { return a_session(); }));
  EXPECT_EQ(a.end_info->sip_status, 486);
  EXPECT_EQ(a.end_info->by, EndedBy::Local);
  EXPECT_EQ(a.end_info->cause, TransitionCause::Rejected);
  EXPECT_FALSE(a.answered.has_value());
  EXPECT_EQ(on_loop([&] { return a_->manager.stats().failed; }), 1U);
}

TEST_F(Sessions, ARedirectedCallFailsAtTheCallerWithTheThreeHundredStatus) {
  start();
  a_->policy.decide = [](const IncomingCall&) {
    return IncomingDecision::redirect(302, {"<sip:elsewhere@127.0.0.1:5999>"});
  };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id); }));
  EXPECT_EQ(record(*b_, b_id).end_info->sip_status, 302);
  EXPECT_EQ(on_loop([&] { return a_->manager.stats().redirected; }), 1U);
}

TEST_F(Sessions, ADeferredCallNobodyDecidesIsRejectedByTheWatchdog) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::defer(200ms); };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Ringing; }));
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id); }));
  EXPECT_EQ(record(*b_, b_id).end_info->sip_status, 480);
  const SessionRecord a = record(*a_, on_loop([&] { return a_session(); }));
  EXPECT_EQ(a.end_info->by, EndedBy::System);
  EXPECT_EQ(on_loop([&] { return a_->manager.stats().watchdog_expired; }), 1U);
}

TEST_F(Sessions, ADeferredCallIsAcceptedLaterThroughItsSession) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::defer(5s); };
  auto heard = std::make_shared<AppLog>();
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Ringing; }));
  on_loop([&] {
    Session* a = a_->manager.find(a_session());
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->accept(std::make_unique<RecordingApp>(heard, false)));
    EXPECT_FALSE(a->accept(nullptr)) << "decided already";
  });
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Connected; }));
  ASSERT_TRUE(eventually([&] { return !heard->events.empty(); }));
  EXPECT_EQ(on_loop([&] { return heard->events.front(); }), "started");
}

TEST_F(Sessions, AnUnansweredOutboundCallIsCancelledAtItsTimeout) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::defer(10s); };
  const SessionId b_id = call_a(nullptr, 300ms);
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id) && terminated(*a_, a_session()); }));
  const SessionRecord b = record(*b_, b_id);
  EXPECT_EQ(b.end_info->by, EndedBy::System);
  EXPECT_EQ(b.end_info->cause, TransitionCause::Cancelled);
  const SessionRecord a = record(*a_, on_loop([&] { return a_session(); }));
  EXPECT_EQ(a.end_info->by, EndedBy::Remote);
  EXPECT_EQ(a.end_info->sip_status, 487);
  EXPECT_EQ(a.end_info->cause, TransitionCause::Cancelled);
}

TEST_F(Sessions, OverTheOverallLimitACallGets503AndOverThePartyLimit486) {
  SessionLimitSettings limits;
  limits.max_sessions = 2;
  limits.max_per_party = 1;
  start(limits);
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr); };
  const SessionId first = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, first).state == SessionState::Connected; }));
  const SessionId second = call_a();  // the same caller: over its party limit
  ASSERT_TRUE(eventually([&] { return terminated(*b_, second); }));
  EXPECT_EQ(record(*b_, second).end_info->sip_status, 486);
  const auto counts = a_->limits.counts();
  EXPECT_EQ(counts.refused_party, 1U);
  EXPECT_EQ(counts.in_use, 1U);
  EXPECT_EQ(a_->registry->counts().created, 1U) << "a refused call makes no session";
}

TEST_F(Sessions, TheOverallLimitAnswers503) {
  SessionLimitSettings limits;
  limits.max_sessions = 1;
  start(limits);
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr); };
  const SessionId first = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, first).state == SessionState::Connected; }));
  const SessionId second = call_a();
  ASSERT_TRUE(eventually([&] { return terminated(*b_, second); }));
  EXPECT_EQ(record(*b_, second).end_info->sip_status, 503);
  EXPECT_EQ(a_->limits.counts().refused_overall, 1U);
}

TEST_F(Sessions, AnAttachedMediaAppServesTheCallAndCanBeSwappedForAnother) {
  start();
  a_->policy.decide = [](const IncomingCall&) {
    return IncomingDecision::accept(nullptr, std::make_unique<media::ToneApp>(8000, 1000.0));
  };
  auto heard = std::make_shared<AppLog>();
  const SessionId b_id = call_a(std::make_unique<RecordingApp>(heard, true));
  ASSERT_TRUE(eventually([&] { return heard->loud_frames >= 10; })) << "b hears a's tone";
  on_loop([&] {
    Session* a = a_->manager.find(a_session());
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->detach_media_app());
    EXPECT_FALSE(a->attach_media_app(std::make_unique<media::ToneApp>(16000, 1000.0))) << "another sample rate";
    heard->loud_frames = 0;
    heard->pcm_frames = 0;
  });
  // Silence now: frames keep coming, none loud (a few in flight may be).
  ASSERT_TRUE(eventually([&] { return heard->pcm_frames >= 25; }));
  EXPECT_LE(on_loop([&] { return heard->loud_frames; }), 5U);
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id)->hangup()); });
}

TEST_F(Sessions, EitherSideHoldsAndResumesWithAReofferAndTheOtherFollows) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr); };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Connected; }));
  const SessionId a_id = on_loop([&] { return a_session(); });
  on_loop([&] {
    Session* a = a_->manager.find(a_id);
    EXPECT_TRUE(a->hold());
    EXPECT_FALSE(a->hold()) << "an offer is under way";
  });
  ASSERT_TRUE(eventually([&] {
    return record(*a_, a_id).state == SessionState::OnHold && record(*b_, b_id).state == SessionState::OnHold;
  }));
  EXPECT_EQ(record(*a_, a_id).media_state, MediaState::Paused);
  EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::HoldLocal);
  EXPECT_EQ(record(*b_, b_id).last_cause, TransitionCause::HoldRemote);
  on_loop([&] {
    const auto& media = *a_->manager.find(a_id)->negotiated();
    EXPECT_EQ(media.audio()->direction, sdp::Direction::SendOnly);
    EXPECT_EQ(b_->manager.find(b_id)->negotiated()->audio()->direction, sdp::Direction::RecvOnly);
    EXPECT_TRUE(a_->manager.find(a_id)->resume());
  });
  ASSERT_TRUE(eventually([&] {
    return record(*a_, a_id).state == SessionState::Connected && record(*b_, b_id).state == SessionState::Connected;
  }));
  EXPECT_EQ(record(*a_, a_id).media_state, MediaState::Active);
  EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::ResumeLocal);

  // The other role: the caller (UAC) holds the gateway, then resumes.
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id)->hold()); });
  ASSERT_TRUE(eventually([&] {
    return record(*a_, a_id).state == SessionState::OnHold && record(*b_, b_id).state == SessionState::OnHold;
  }));
  EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::HoldRemote);
  EXPECT_EQ(record(*b_, b_id).last_cause, TransitionCause::HoldLocal);
  EXPECT_EQ(on_loop([&] { return a_->manager.find(a_id)->negotiated()->audio()->direction; }),
            sdp::Direction::RecvOnly);
  EXPECT_FALSE(on_loop([&] { return a_->manager.find(a_id)->resume().has_value(); })) << "a did not hold";
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id)->resume()); });
  ASSERT_TRUE(eventually([&] {
    return record(*a_, a_id).state == SessionState::Connected && record(*b_, b_id).state == SessionState::Connected;
  }));
  EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::ResumeRemote);
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id)->hangup()); });
  ASSERT_TRUE(eventually([&] { return terminated(*a_, a_id); }));
}

TEST_F(Sessions, ACodecChangeTheAnswerAcceptsSwitchesTheStreamAndOneItRefusesChangesNothing) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr); };
  auto heard = std::make_shared<AppLog>();
  const SessionId b_id = call_a(std::make_unique<RecordingApp>(heard, true));
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Connected; }));
  const SessionId a_id = on_loop([&] { return a_session(); });
  EXPECT_EQ(record(*a_, a_id).media->codec, "PCMU/8000");
  on_loop([&] { EXPECT_TRUE(a_->manager.find(a_id)->change_codecs({sdp::Codec{"PCMA", 8000, 1, 8, ""}})); });
  ASSERT_TRUE(eventually([&] {
    const Session* b = b_->manager.find(b_id);
    return record(*a_, a_id).media_state == MediaState::Active &&
           b->negotiated()->audio()->codec.encoding_name == "PCMA";
  }));
  on_loop([&] { EXPECT_EQ(a_->manager.find(a_id)->negotiated()->audio()->codec.encoding_name, "PCMA"); });

  // b runs PCMU, PCMA and events only: G722 alone gets 488, and a stays as it was.
  on_loop([&] { EXPECT_TRUE(a_->manager.find(a_id)->change_codecs({sdp::Codec{"G722", 8000, 1, 9, ""}})); });
  ASSERT_TRUE(eventually([&] {
    auto r = record(*a_, a_id);
    return r.media_state == MediaState::Active && r.last_cause == TransitionCause::OfferFailed;
  }));
  on_loop([&] {
    Session* a = a_->manager.find(a_id);
    EXPECT_EQ(a->negotiated()->audio()->codec.encoding_name, "PCMA");
    EXPECT_EQ(a->state(), SessionState::Connected);
    // The rollback restored the codecs: holding now re-offers PCMA, which b takes.
    EXPECT_TRUE(a->hold());
  });
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::OnHold; }));
  on_loop([&] { EXPECT_EQ(b_->manager.find(b_id)->negotiated()->audio()->codec.encoding_name, "PCMA"); });
  // RTP still flows from a (sendonly now) to b after both changes.
  const auto received_before = on_loop([&] { return b_->manager.find(b_id)->media_stats()->received.packets; });
  ASSERT_TRUE(
      eventually([&] { return b_->manager.find(b_id)->media_stats()->received.packets >= received_before + 10; }));
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id)->hangup()); });
}

TEST_F(Sessions, ManyCallsWithEveryOutcomeLeaveBothRegistriesBalanced) {
  start();
  // Every fourth call: accepted, rejected, deferred until the watchdog,
  // redirected. The caller hangs up the accepted ones once they connect.
  int next = 0;
  a_->policy.decide = [&next](const IncomingCall&) {
    switch (next++ % 4) {
      case 0: return IncomingDecision::accept(nullptr);
      case 1: return IncomingDecision::reject(486);
      case 2: return IncomingDecision::defer(100ms);
      default: return IncomingDecision::redirect(302, {"<sip:elsewhere@127.0.0.1:5999>"});
    }
  };
  constexpr int kCalls = 80;
  std::vector<SessionId> calls;
  for (int i = 0; i < kCalls; ++i) calls.push_back(call_a());
  ASSERT_TRUE(eventually(
      [&] {
        for (const SessionId id : calls) {
          auto r = b_->registry->get(id);
          if (!r) return false;
          if (r->state == SessionState::Connected) (void)b_->manager.find(id)->hangup();
          if (r->state != SessionState::Terminated) return false;
        }
        return a_->registry->counts().active == 0;
      },
      10s));
  for (Endpoint* side : {a_.get(), b_.get()}) {
    const RegistryCounts counts = side->registry->counts();
    EXPECT_EQ(counts.created, static_cast<std::uint64_t>(kCalls));
    EXPECT_EQ(counts.active, 0U);
    EXPECT_EQ(counts.ended, counts.created);
    EXPECT_EQ(counts.created, counts.active + counts.ended);
  }
  const SessionStats a = on_loop([&] { return a_->manager.stats(); });
  EXPECT_EQ(a.answered, static_cast<std::uint64_t>(kCalls / 4));
  EXPECT_EQ(a.failed + a.ended, static_cast<std::uint64_t>(kCalls)) << "every session ended exactly one way";
  EXPECT_EQ(a.watchdog_expired, static_cast<std::uint64_t>(kCalls / 4));
  EXPECT_EQ(a.registry_errors, 0U);
  ASSERT_TRUE(eventually([&] { return a_->manager.sessions() == 0 && b_->manager.sessions() == 0; }));
  EXPECT_EQ(a_->limits.counts().in_use, 0U);
  EXPECT_EQ(b_->limits.counts().in_use, 0U);
}

TEST_F(Sessions, ShuttingDownEndsEverySessionInTheRegistry) {
  start();
  a_->policy.decide = [](const IncomingCall&) { return IncomingDecision::accept(nullptr); };
  const SessionId b_id = call_a();
  ASSERT_TRUE(eventually([&] { return record(*b_, b_id).state == SessionState::Connected; }));
  on_loop([&] { a_->manager.hangup_all("SIP;cause=503;text=\"shutting down\""); });
  ASSERT_TRUE(eventually([&] { return terminated(*b_, b_id) && a_->registry->counts().active == 0; }));
  EXPECT_EQ(record(*b_, b_id).end_info->by, EndedBy::Remote);
}

}  // namespace
}  // namespace voxgate::session::test
