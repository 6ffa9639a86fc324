#include <gtest/gtest.h>

#include "app/media_app_factory.hpp"
#include "app/stack_config.hpp"

namespace voxgate::app {
namespace {

TEST(LocalMedia, TelephoneEventComesAtEveryClockRateTheChosenCodecsUse) {
  MediaConfig media;
  media.codecs = {"G722", "opus", "telephone-event"};
  auto local = make_local_media(media);
  ASSERT_TRUE(local) << local.error().message;
  std::vector<std::string> offered;
  for (const auto& c : local->codecs) offered.push_back(c.describe());
  EXPECT_EQ(offered,
            (std::vector<std::string>{"G722/8000", "opus/48000/2", "telephone-event/8000", "telephone-event/48000"}));
  media.codecs = {"PCMU", "telephone-event"};
  local = make_local_media(media);
  ASSERT_TRUE(local);
  EXPECT_EQ(local->codecs.size(), 2U);  // no 48 kHz events without Opus
}

TEST(LocalMedia, AnUnknownCodecNamesWhatIsSupported) {
  MediaConfig media;
  media.codecs = {"G729"};
  auto local = make_local_media(media);
  ASSERT_FALSE(local);
  EXPECT_NE(local.error().message.find("'G729' is not supported"), std::string::npos);
}

TEST(MediaAppFactory, RecordingFileNamesFromCallIdsAreSafe) {
  EXPECT_EQ(file_name_for("a84b4c76e66710@pc33.atlanta.com"), "a84b4c76e66710_pc33.atlanta.com");
  EXPECT_EQ(file_name_for("../../etc/passwd"), "_.._.._etc_passwd");
  EXPECT_EQ(file_name_for(".hidden"), "_.hidden");
  EXPECT_EQ(file_name_for(""), "_");
}

}  // namespace
}  // namespace voxgate::app
