#pragma once
// Noise suppression and voice activity detection by the WebRTC audio
// processing module (Debian's libwebrtc-audio-processing-dev 0.3), the one
// browsers and softphones run on their microphones: a statistical noise
// estimator that adapts within a second, and a GMM VAD. One instance per
// call; about 0.1 % of a core per call at 8 kHz (docs/adr/0005).

#include <memory>

#include "bot/voice/energy_gate.hpp"
#include "bot/voice/voice_activity_detector.hpp"

namespace voxgate::bot {

struct WebrtcVoiceOptions {
  int sample_rate = 8000;  // 8000 or 16000

  // How hard noise is pushed down; higher also distorts speech more.
  enum class Suppression { Off, Low, Moderate, High, VeryHigh };
  Suppression suppression = Suppression::Moderate;

  // How readily a frame is called speech. Low keeps hiss and line noise out
  // of the recogniser at the risk of clipping a soft word onset; the
  // endpointer's hangover covers word ends.
  enum class Likelihood { VeryLow, Low, Moderate, High };
  Likelihood likelihood = Likelihood::Low;

  // The VAD's verdict through an EnergyGate (energy_gate.hpp), which ends
  // speech where the audio goes quiet rather than 200 ms later.
  bool cut_hangover = true;
};

class WebrtcVoiceProcessor final : public VoiceActivityDetector {
 public:
  // Fails on an unsupported rate or when the library refuses the settings.
  static Result<std::unique_ptr<WebrtcVoiceProcessor>> create(const WebrtcVoiceOptions& options);

  ~WebrtcVoiceProcessor() override;

  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }
  Result<bool> process(std::span<std::int16_t> frame) override;

 private:
  struct Engine;
  WebrtcVoiceProcessor(std::unique_ptr<Engine> engine, int sample_rate, bool cut_hangover) noexcept;

  std::unique_ptr<Engine> engine_;
  int sample_rate_;
  bool cut_hangover_;
  EnergyGate gate_;
};

}  // namespace voxgate::bot
