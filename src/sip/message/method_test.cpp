#include "sip/message/method.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

namespace voxgate::sip {
namespace {

constexpr std::pair<std::string_view, Method> kKnown[] = {
    {"INVITE", Method::Invite},   {"ACK", Method::Ack},
    {"BYE", Method::Bye},         {"CANCEL", Method::Cancel},
    {"OPTIONS", Method::Options}, {"REGISTER", Method::Register},
    {"PRACK", Method::Prack},     {"SUBSCRIBE", Method::Subscribe},
    {"NOTIFY", Method::Notify},   {"PUBLISH", Method::Publish},
    {"INFO", Method::Info},       {"REFER", Method::Refer},
    {"MESSAGE", Method::Message}, {"UPDATE", Method::Update},
};

TEST(Method, MapsEveryKnownMethodTokenBothWays) {
  for (const auto& [name, method] : kKnown) {
    EXPECT_EQ(method_from_token(name), method) << name;
    EXPECT_EQ(to_string(method), name);
  }
}

TEST(Method, MethodNamesAreCaseSensitive) {
  // §7.1: "The method is case-sensitive".
  EXPECT_EQ(method_from_token("invite"), Method::Extension);
  EXPECT_EQ(method_from_token("Invite"), Method::Extension);
  EXPECT_EQ(method_from_token("bYE"), Method::Extension);
}

TEST(Method, UnknownTokensAreExtensions) {
  for (std::string_view token : {"", "NEWMETHOD", "INVITES", "INVIT", " INVITE", "INVITE ", "DO"}) {
    EXPECT_EQ(method_from_token(token), Method::Extension) << '"' << token << '"';
  }
  EXPECT_EQ(to_string(Method::Extension), "");
}

}  // namespace
}  // namespace voxgate::sip
