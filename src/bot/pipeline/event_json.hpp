#pragma once
// The stages' event fields: JSON objects, durations in milliseconds.
#include <chrono>
#include <string>

#include <boost/json.hpp>

namespace voxgate::bot {

inline double ms(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / 1e6;
}

inline std::string json(const boost::json::object& fields) {
  return boost::json::serialize(fields);
}

}  // namespace voxgate::bot
