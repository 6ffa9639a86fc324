#pragma once
// The built-in apps that need no files: echo (the caller hears itself, one
// tick later), tone (a sine at a frequency and level, phase-continuous
// across frames) and silence.

#include <cstddef>
#include <vector>

#include "media/apps/media_app.hpp"

namespace voxgate::media {

class EchoApp final : public MediaApp {
 public:
  explicit EchoApp(int sample_rate) : sample_rate_(sample_rate) {}
  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }
  void on_caller_audio(std::span<const std::int16_t> frame) override;
  // The frame received last; silence before the first or once it was sent.
  bool fill(std::span<std::int16_t> frame) override;

 private:
  int sample_rate_;
  std::vector<std::int16_t> last_;
  bool fresh_ = false;
};

class ToneApp final : public MediaApp {
 public:
  // `level`: peak amplitude, 0-32767 (8000 ≈ -12 dBFS).
  ToneApp(int sample_rate, double frequency, std::int16_t level = 8000);
  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }
  void on_caller_audio(std::span<const std::int16_t> /*frame*/) override {}
  [[nodiscard]] bool listens() const noexcept override { return false; }
  bool fill(std::span<std::int16_t> frame) override;

 private:
  int sample_rate_;
  double step_;  // phase advance per sample, radians
  double step_cos_;
  double step_sin_;
  double phase_ = 0;
  double level_;
};

class SilenceApp final : public MediaApp {
 public:
  explicit SilenceApp(int sample_rate) : sample_rate_(sample_rate) {}
  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }
  void on_caller_audio(std::span<const std::int16_t> /*frame*/) override {}
  [[nodiscard]] bool listens() const noexcept override { return false; }
  bool fill(std::span<std::int16_t> frame) override;

 private:
  int sample_rate_;
};

}  // namespace voxgate::media
