#pragma once
// The media of a worker loop's calls: when a call is established, its
// negotiated SDP becomes an RtpStream on the loop's media clock, served by
// the configured media app (and recorded when asked); when it ends, the
// stream goes and its final stats come back for the call's summary. What
// the streams report (digits, an end of their own: media timeout, send
// failure, a prompt played once) goes to a CallMediaListener, which decides
// (the answering service hangs up).
//
// One per worker loop, beside that loop's MediaLoop.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "app/config.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/media_loop.hpp"
#include "media/stream/rtp_stream.hpp"
#include "sdp/negotiated_media.hpp"
#include "sip/dialog/call_observer.hpp"

namespace voxgate::app {

class CallMediaListener {
 public:
  virtual ~CallMediaListener() = default;
  virtual void on_media_dtmf(sip::CallHandle call, char digit, std::string_view source) = 0;
  // The call's stream stopped by itself; the listener ends the call.
  virtual void on_call_media_ended(sip::CallHandle call, media::StreamEndReason reason) = 0;
};

class CallMedia {
 public:
  CallMedia(media::MediaLoop& loop, MediaConfig config, Logger log)
      : loop_(loop), config_(std::move(config)), log_(std::move(log)) {}
  CallMedia(const CallMedia&) = delete;
  CallMedia& operator=(const CallMedia&) = delete;
  ~CallMedia();

  // Starts the call's stream on the reserved ports (which must outlive it
  // until stop()). `record_path`: "" to follow the configuration
  // (record_dir), else the WAV to write.
  Result<void> start(sip::CallHandle call, std::string_view call_id, media::RtpPortReservation& ports,
                     const sdp::NegotiatedMedia& negotiated, CallMediaListener& listener, std::string record_path = {});
  // A re-INVITE changed the media.
  Result<void> update(sip::CallHandle call, const sdp::NegotiatedMedia& negotiated);
  // Queues RFC 4733 digits on the call's stream.
  Result<void> send_dtmf(sip::CallHandle call, std::string_view digits);
  // Ends the call's stream (RTCP BYE) and returns its final stats; nullopt
  // when the call had none.
  std::optional<media::RtpStreamStats> stop(sip::CallHandle call);

  [[nodiscard]] std::size_t streams() const noexcept { return calls_.size(); }

 private:
  // Forwards one stream's reports with the call they belong to.
  class StreamWatch final : public media::RtpStreamObserver {
   public:
    StreamWatch(sip::CallHandle call, CallMediaListener& listener) : call_(call), listener_(listener) {}
    void on_stream_dtmf(char digit, media::DtmfSource source) override {
      listener_.on_media_dtmf(call_, digit, media::to_string(source));
    }
    void on_stream_ended(media::StreamEndReason reason) override { listener_.on_call_media_ended(call_, reason); }

   private:
    sip::CallHandle call_;
    CallMediaListener& listener_;
  };

  struct Entry {
    std::unique_ptr<StreamWatch> watch;  // before the stream: it outlives it
    std::unique_ptr<media::RtpStream> stream;
  };

  // The stream's settings for the call's negotiated audio (RTCP CNAME included).
  Result<media::RtpStreamConfig> stream_config_for(sip::CallHandle call, const sdp::NegotiatedMedia& negotiated) const;
  Result<std::unique_ptr<media::MediaApp>> make_app(std::string_view call_id, std::string record_path) const;

  media::MediaLoop& loop_;
  MediaConfig config_;
  Logger log_;
  std::unordered_map<sip::CallHandle, Entry> calls_;
};

// A Call-ID as a file name: characters other than [A-Za-z0-9._-] become
// '_', and it never starts with '.'.
std::string file_name_for(std::string_view call_id);

}  // namespace voxgate::app
