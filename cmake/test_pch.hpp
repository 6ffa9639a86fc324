#pragma once
// Precompiled once for every unit-test target (cmake/VoxgateModule.cmake):
// GoogleTest and GoogleMock cost a second or more per test file to parse.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <tl/expected.hpp>
