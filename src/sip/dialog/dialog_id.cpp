#include "sip/dialog/dialog_id.hpp"

namespace voxgate::sip {

namespace {

struct Tags {
  std::string call_id;
  std::string from_tag;
  std::string to_tag;
};

Result<Tags> read_tags(const Message& message) {
  auto call_id = message.call_id();
  if (!call_id) return make_error(Errc::InvalidArgument, "{}", call_id.error().reason);
  auto from = message.from();
  if (!from) return make_error(Errc::InvalidArgument, "{}", from.error().reason);
  auto to = message.to();
  if (!to) return make_error(Errc::InvalidArgument, "{}", to.error().reason);
  return Tags{std::string(*call_id), std::string(from->tag().value_or("")), std::string(to->tag().value_or(""))};
}

}  // namespace

Result<DialogId> dialog_id_of_request(const Message& request) {
  return read_tags(request).map([](Tags t) {
    return DialogId{std::move(t.call_id), std::move(t.to_tag), std::move(t.from_tag)};
  });
}

Result<DialogId> dialog_id_of_response(const Message& response) {
  return read_tags(response).map([](Tags t) {
    return DialogId{std::move(t.call_id), std::move(t.from_tag), std::move(t.to_tag)};
  });
}

}  // namespace voxgate::sip
