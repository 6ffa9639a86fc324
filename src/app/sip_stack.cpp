#include "app/sip_stack.hpp"

#include <future>

#include "runtime/timer_loop.hpp"
#include "sdp/session_id_source.hpp"
#include "sip/dialog/identifiers.hpp"

namespace voxgate::app {

void SipStack::LoopInbound::on_message(sip::InboundMessage&& message) {
  if (target != nullptr) target->on_message(std::move(message));
}

SipStack::SipStack(runtime::LoopPool& pool, const Clock& clock, SipStackConfig config, HandlerForLoop handler_for_loop,
                   Logger log)
    : pool_(pool),
      clock_(clock),
      config_(std::move(config)),
      handler_for_loop_(std::move(handler_for_loop)),
      log_(log),
      transport_(pool, clock, config_.transport, log) {
  for (std::size_t i = 0; i < pool.size(); ++i) {
    loops_.push_back(std::make_unique<Loop>());
    transport_.set_handler(i, loops_.back()->inbound);
  }
}

SipStack::~SipStack() {
  stop();
}

std::string contact_uri_for(std::string_view user, const sip::BoundListener& listener) {
  const std::string transport_param = listener.transport == sip::TransportKind::Udp ? "" : ";transport=tcp";
  return fmt::format("sip:{}@{}{}", user, listener.sent_by, transport_param);
}

Result<void> SipStack::start() {
  if (auto started = transport_.start(); !started) return started;
  const auto& bound = transport_.listeners();
  if (bound.empty()) return make_error(Errc::InvalidArgument, "no SIP listener configured");
  contact_uri_ = contact_uri_for(config_.contact_user, bound.front());
  const std::string host = bound.front().address.ip.to_string();

  for (std::size_t i = 0; i < loops_.size(); ++i) {
    Loop& loop = *loops_[i];
    loop.timers = std::make_unique<runtime::LoopTimers>(pool_.loop(i), clock_);
    loop.session_ids = std::make_unique<sdp::RandomSessionIdSource>();
    sip::DialogLayerConfig dialog_config;
    dialog_config.contact_uri = contact_uri_;
    dialog_config.host = host;
    dialog_config.timers = config_.timers;
    dialog_config.limits = config_.limits;
    dialog_config.retry_after_seconds = config_.retry_after_seconds;
    dialog_config.overload_retry_after_seconds = config_.retry_after_seconds;
    dialog_config.session_timer = config_.session_timer;
    if (pool_.size() > 1) {
      dialog_config.owns_call_id = [&pool = pool_, i](std::string_view call_id) {
        return pool.index_for(call_id) == i;
      };
    }
    loop.dialogs =
        std::make_unique<sip::DialogLayer>(*loop.timers, transport_.message_transport(i), handler_for_loop_(i),
                                           *loop.session_ids, std::move(dialog_config), sip::system_random_bits());
    loop.inbound.target = &loop.dialogs->inbound();
  }
  return {};
}

void SipStack::stop() {
  transport_.stop();
}

SipStackStats SipStack::stats() {
  SipStackStats total;
  total.transport = transport_.stats();
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    std::promise<void> done;
    pool_.loop(i).post([&, i] {
      const Loop& loop = *loops_[i];
      if (loop.dialogs) {
        const auto& s = loop.dialogs->stats();
        auto& t = total.dialogs;
        t.dialogs_created += s.dialogs_created;
        t.dialogs_confirmed += s.dialogs_confirmed;
        for (std::size_t r = 0; r < s.dialogs_ended.size(); ++r) t.dialogs_ended[r] += s.dialogs_ended[r];
        t.no_ack_timeouts += s.no_ack_timeouts;
        t.rejected_by_checks += s.rejected_by_checks;
        t.no_dialog += s.no_dialog;
        t.incompatible_media += s.incompatible_media;
        t.calls_in += s.calls_in;
        t.calls_out += s.calls_out;
        t.stray_acks += s.stray_acks;
        t.session_interval_too_small += s.session_interval_too_small;
        t.session_refreshes_sent += s.session_refreshes_sent;
        t.session_timer_expired += s.session_timer_expired;
        total.calls_in_progress += loop.dialogs->calls();
        const sip::TransactionStats& tx = loop.dialogs->transactions().stats();
        total.transactions.retransmissions_sent += tx.retransmissions_sent;
        total.transactions.absorbed_retransmissions += tx.absorbed_retransmissions;
        total.transactions.timeouts += tx.timeouts;
        total.transactions.transport_errors += tx.transport_errors;
      }
      done.set_value();
    });
    done.get_future().wait();
  }
  return total;
}

}  // namespace voxgate::app
