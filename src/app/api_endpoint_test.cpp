#include "app/api_endpoint.hpp"

#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace voxgate::app {
namespace {

// An environment of the test's own: getenv looks names up in `vars`.
class FakeEnvironment {
 public:
  FakeEnvironment() = default;
  FakeEnvironment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  [[nodiscard]] EnvironmentLookup lookup() const {
    return [this](const char* name) -> const char* {
      const auto found = vars_.find(name);
      return found == vars_.end() ? nullptr : found->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

class ApiEndpointTest : public ::testing::Test {
 protected:
  std::string write_config(const std::string& text) {
    const auto path = dir_ / "voxgate.toml";
    std::ofstream(path) << text;
    return path.string();
  }

  test::TempDir dir_;
};

constexpr const char* kToken = "config-token-0123456789";

TEST_F(ApiEndpointTest, WithNothingGivenTheDefaultUrlAndNoToken) {
  const FakeEnvironment env;
  auto endpoint = resolve_api_endpoint({}, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(endpoint->token, "");
}

TEST_F(ApiEndpointTest, FlagsWinOverConfigAndEnvironment) {
  const FakeEnvironment env{{"VOXGATE_API_URL", "http://10.0.0.1:9000"}, {"VOXGATE_API_TOKEN", "from-env"}};
  ApiEndpointOptions options;
  options.api_url = "http://[::1]:7000/";
  options.token = "from-flag";
  options.config_path = write_config("[api]\nlisten = \"127.0.0.1:9999\"\n");
  auto endpoint = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->base_url, "http://[::1]:7000");  // trailing '/' dropped
  EXPECT_EQ(endpoint->token, "from-flag");
}

TEST_F(ApiEndpointTest, TheConfigsListenWinsOverTheEnvironmentsUrl) {
  const FakeEnvironment env{{"VOXGATE_API_URL", "http://10.0.0.1:9000"}};
  ApiEndpointOptions options;
  options.config_path = write_config(fmt::format("[api]\nlisten = \"127.0.0.1:9001\"\ntokens = [\"{}\"]\n", kToken));
  auto endpoint = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->base_url, "http://127.0.0.1:9001");
  EXPECT_EQ(endpoint->token, kToken);  // the first of [api] tokens
}

TEST_F(ApiEndpointTest, TheEnvironmentsTokenWinsOverTheConfigs) {
  const FakeEnvironment env{{"VOXGATE_API_TOKEN", "from-env"}};
  ApiEndpointOptions options;
  options.config_path = write_config(fmt::format("[api]\ntokens = [\"{}\"]\n", kToken));
  auto endpoint = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->token, "from-env");
  EXPECT_EQ(endpoint->base_url, "http://127.0.0.1:8080");  // the config's default listen
}

TEST_F(ApiEndpointTest, TheConfigIsReadAsServeReadsItEnvironmentIncluded) {
  const FakeEnvironment env{{"VOXGATE_API_LISTEN", "127.0.0.1:9300"},
                            {"VOXGATE_API_TOKENS", "env-token-0123456789,env-token-abcdefghij"}};
  ApiEndpointOptions options;
  options.config_path = write_config("[api]\nlisten = \"127.0.0.1:9001\"\n");
  auto endpoint = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->base_url, "http://127.0.0.1:9300");
  EXPECT_EQ(endpoint->token, "env-token-0123456789");
}

TEST_F(ApiEndpointTest, WildcardListenAddressesAreReachedOnLoopback) {
  const FakeEnvironment env;
  ApiEndpointOptions options;
  options.config_path = write_config(fmt::format("[api]\nlisten = \"0.0.0.0:9002\"\ntokens = [\"{}\"]\n", kToken));
  auto v4 = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(v4) << v4.error().message;
  EXPECT_EQ(v4->base_url, "http://127.0.0.1:9002");
  options.config_path = write_config(fmt::format("[api]\nlisten = \"[::]:9003\"\ntokens = [\"{}\"]\n", kToken));
  auto v6 = resolve_api_endpoint(options, env.lookup());
  ASSERT_TRUE(v6) << v6.error().message;
  EXPECT_EQ(v6->base_url, "http://[::1]:9003");
}

TEST_F(ApiEndpointTest, TheEnvironmentsUrlWhenNoFlagOrConfig) {
  const FakeEnvironment env{{"VOXGATE_API_URL", "http://gw.example:9000"}, {"VOXGATE_API_TOKEN", "t"}};
  auto endpoint = resolve_api_endpoint({}, env.lookup());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->base_url, "http://gw.example:9000");
  EXPECT_EQ(endpoint->token, "t");
}

TEST_F(ApiEndpointTest, ErrorsNameWhereTheBadValueCameFrom) {
  const FakeEnvironment env{{"VOXGATE_API_URL", "ftp://x"}};
  auto from_env = resolve_api_endpoint({}, env.lookup());
  ASSERT_FALSE(from_env);
  EXPECT_TRUE(from_env.error().message.starts_with("VOXGATE_API_URL: ")) << from_env.error().message;

  ApiEndpointOptions options;
  options.api_url = "not a url";
  auto from_flag = resolve_api_endpoint(options, env.lookup());
  ASSERT_FALSE(from_flag);
  EXPECT_TRUE(from_flag.error().message.starts_with("--api: ")) << from_flag.error().message;

  options = {};
  options.config_path = write_config("[api]\nlisen = \"x\"\n");
  auto bad_config = resolve_api_endpoint(options, env.lookup());
  ASSERT_FALSE(bad_config);
  EXPECT_NE(bad_config.error().message.find("api.lisen"), std::string::npos) << bad_config.error().message;

  options.config_path = write_config("[api]\nlisten = \"\"\n");
  auto off = resolve_api_endpoint(options, env.lookup());
  ASSERT_FALSE(off);
  EXPECT_NE(off.error().message.find("turns the API off"), std::string::npos) << off.error().message;

  options.config_path = write_config("[api]\nlisten = \"127.0.0.1:0\"\n");
  auto ephemeral = resolve_api_endpoint(options, env.lookup());
  ASSERT_FALSE(ephemeral);
  EXPECT_NE(ephemeral.error().message.find("ephemeral"), std::string::npos) << ephemeral.error().message;
}

TEST(DescribeApiError, CodeAndMessageOfTheApisErrorElseTheStatus) {
  net::HttpResponseData response;
  response.status = 404;
  response.reason = "Not Found";
  response.body = R"({"code":"SESSION_NOT_FOUND","message":"no session 999999","details":{}})";
  EXPECT_EQ(describe_api_error(response), "SESSION_NOT_FOUND: no session 999999");
  response.status = 502;
  response.reason = "Bad Gateway";
  response.body = "<html>proxy</html>";
  EXPECT_EQ(describe_api_error(response), "HTTP 502 Bad Gateway: <html>proxy</html>");
}

TEST(UrlEscape, KeepsUnreservedCharactersOnly) {
  EXPECT_EQ(url_escape("Az09-._~"), "Az09-._~");
  EXPECT_EQ(url_escape("Q.850;cause=16"), "Q.850%3Bcause%3D16");
  EXPECT_EQ(url_escape("a b&c/\xC3\xA9"), "a%20b%26c%2F%C3%A9");
}

}  // namespace
}  // namespace voxgate::app
