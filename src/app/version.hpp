#pragma once

#include <string_view>

namespace voxgate::app {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace voxgate::app
