#include "sip/message/method.hpp"

#include <array>
#include <utility>

namespace voxgate::sip {

namespace {
constexpr std::array<std::pair<std::string_view, Method>, 14> kMethods{{
    {"INVITE", Method::Invite},
    {"ACK", Method::Ack},
    {"BYE", Method::Bye},
    {"CANCEL", Method::Cancel},
    {"OPTIONS", Method::Options},
    {"REGISTER", Method::Register},
    {"PRACK", Method::Prack},
    {"SUBSCRIBE", Method::Subscribe},
    {"NOTIFY", Method::Notify},
    {"PUBLISH", Method::Publish},
    {"INFO", Method::Info},
    {"REFER", Method::Refer},
    {"MESSAGE", Method::Message},
    {"UPDATE", Method::Update},
}};
}  // namespace

Method method_from_token(std::string_view token) noexcept {
  for (const auto& [name, method] : kMethods) {
    if (name == token) return method;
  }
  return Method::Extension;
}

std::string_view to_string(Method method) noexcept {
  for (const auto& [name, m] : kMethods) {
    if (m == method) return name;
  }
  return "";
}

}  // namespace voxgate::sip
