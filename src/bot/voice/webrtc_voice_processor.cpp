#include "bot/voice/webrtc_voice_processor.hpp"

#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>

#include <algorithm>

namespace voxgate::bot {

namespace {

webrtc::NoiseSuppression::Level to_webrtc(WebrtcVoiceOptions::Suppression level) noexcept {
  switch (level) {
    case WebrtcVoiceOptions::Suppression::Low: return webrtc::NoiseSuppression::kLow;
    case WebrtcVoiceOptions::Suppression::High: return webrtc::NoiseSuppression::kHigh;
    case WebrtcVoiceOptions::Suppression::VeryHigh: return webrtc::NoiseSuppression::kVeryHigh;
    case WebrtcVoiceOptions::Suppression::Off:
    case WebrtcVoiceOptions::Suppression::Moderate: break;
  }
  return webrtc::NoiseSuppression::kModerate;
}

webrtc::VoiceDetection::Likelihood to_webrtc(WebrtcVoiceOptions::Likelihood likelihood) noexcept {
  switch (likelihood) {
    case WebrtcVoiceOptions::Likelihood::VeryLow: return webrtc::VoiceDetection::kVeryLowLikelihood;
    case WebrtcVoiceOptions::Likelihood::Moderate: return webrtc::VoiceDetection::kModerateLikelihood;
    case WebrtcVoiceOptions::Likelihood::High: return webrtc::VoiceDetection::kHighLikelihood;
    case WebrtcVoiceOptions::Likelihood::Low: break;
  }
  return webrtc::VoiceDetection::kLowLikelihood;
}

}  // namespace

struct WebrtcVoiceProcessor::Engine {
  std::unique_ptr<webrtc::AudioProcessing> apm;
  // The library works on 10 ms frames; an AudioFrame is about 8 KB, so it is
  // kept rather than put on the stack for every call.
  webrtc::AudioFrame frame;
};

WebrtcVoiceProcessor::WebrtcVoiceProcessor(std::unique_ptr<Engine> engine, int sample_rate, bool cut_hangover) noexcept
    : engine_(std::move(engine)), sample_rate_(sample_rate), cut_hangover_(cut_hangover) {}

WebrtcVoiceProcessor::~WebrtcVoiceProcessor() = default;

Result<std::unique_ptr<WebrtcVoiceProcessor>> WebrtcVoiceProcessor::create(const WebrtcVoiceOptions& options) {
  if (options.sample_rate != 8000 && options.sample_rate != 16000) {
    return make_error(Errc::InvalidArgument, "voice processing runs at 8000 or 16000 Hz, not {}", options.sample_rate);
  }
  auto engine = std::make_unique<Engine>();
  engine->apm.reset(webrtc::AudioProcessing::Create());
  if (!engine->apm) {
    return make_error(Errc::Internal, "webrtc::AudioProcessing::Create failed");
  }
  auto& apm = *engine->apm;
  const webrtc::AudioProcessing::ChannelLayout mono = webrtc::AudioProcessing::kMono;
  if (apm.Initialize(options.sample_rate, options.sample_rate, options.sample_rate, mono, mono, mono) != 0) {
    return make_error(Errc::InvalidArgument, "webrtc audio processing refuses {} Hz", options.sample_rate);
  }
  const bool suppress = options.suppression != WebrtcVoiceOptions::Suppression::Off;
  if (apm.noise_suppression()->set_level(to_webrtc(options.suppression)) != 0 ||
      apm.noise_suppression()->Enable(suppress) != 0 ||
      apm.voice_detection()->set_likelihood(to_webrtc(options.likelihood)) != 0 ||
      apm.voice_detection()->Enable(true) != 0) {
    return make_error(Errc::Internal, "webrtc audio processing refuses the noise suppression or VAD settings");
  }
  engine->frame.sample_rate_hz_ = options.sample_rate;
  engine->frame.num_channels_ = 1;
  engine->frame.samples_per_channel_ = static_cast<std::size_t>(options.sample_rate / 100);
  return std::unique_ptr<WebrtcVoiceProcessor>(
      new WebrtcVoiceProcessor(std::move(engine), options.sample_rate, options.cut_hangover));
}

Result<bool> WebrtcVoiceProcessor::process(std::span<std::int16_t> frame) {
  const auto half = static_cast<std::size_t>(sample_rate_ / 100);
  if (frame.size() != 2 * half) {
    return make_error(Errc::InvalidArgument, "a 20 ms frame at {} Hz has {} samples, not {}", sample_rate_, 2 * half,
                      frame.size());
  }
  auto& apm = *engine_->apm;
  auto& buffer = engine_->frame;
  bool speech = false;
  for (std::size_t at = 0; at < frame.size(); at += half) {
    const auto part = frame.subspan(at, half);
    std::copy(part.begin(), part.end(), buffer.data_);
    // ProcessStream may reset these to mark what it found; set them each time.
    buffer.samples_per_channel_ = half;
    buffer.sample_rate_hz_ = sample_rate_;
    buffer.num_channels_ = 1;
    if (const int rc = apm.ProcessStream(&buffer); rc != 0) {
      return make_error(Errc::Internal, "webrtc audio processing failed on a frame: error {}", rc);
    }
    std::copy(buffer.data_, buffer.data_ + half, part.begin());
    // Either half: a word onset or ending inside the frame still counts.
    speech = speech || apm.voice_detection()->stream_has_voice();
  }
  return cut_hangover_ ? gate_.admit(frame, speech) : speech;
}

}  // namespace voxgate::bot
