#pragma once
// Shared by the stream codec unit tests only (the *_test.cpp files beside it).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bot/stream/stream_codec.hpp"

namespace voxgate::bot::test {

// The JSON object a text frame carries; fails the test on a binary frame.
inline boost::json::object json_of(const StreamMessage& message) {
  EXPECT_FALSE(message.binary);
  return boost::json::parse(message.data).as_object();
}

}  // namespace voxgate::bot::test
