#pragma once
// The media app the configuration's [media] section names (echo, tone,
// silence, play, record), built for one call, recorded when asked.

#include <memory>
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "base/result.hpp"
#include "media/apps/media_app.hpp"

namespace voxgate::app {

// `record_path`: "" to follow the configuration (record_dir/<Call-ID>.wav
// when record_dir is set), else the WAV to write. Fails when the prompt or
// the recording file cannot be opened.
Result<std::unique_ptr<media::MediaApp>> make_media_app(const MediaConfig& config, std::string_view call_id,
                                                        std::string record_path = {});

// A Call-ID as a file name: characters other than [A-Za-z0-9._-] become
// '_', and it never starts with '.'.
std::string file_name_for(std::string_view call_id);

}  // namespace voxgate::app
