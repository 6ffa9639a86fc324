#pragma once
// The JSON text frames of the profiles that speak JSON: Twilio Media Streams
// and jambonz-listen's L16 (its metadata, marks and commands).

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "bot/stream/stream_codec.hpp"

namespace voxgate::bot {

inline StreamMessage json_message(const boost::json::object& message) {
  return StreamMessage{false, boost::json::serialize(message)};
}

}  // namespace voxgate::bot
