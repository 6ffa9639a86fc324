#pragma once
// Maps a method and a path to the route that serves it (its index: the
// caller keeps the handlers, of whatever type it needs). Patterns are
// literal segments and `{name}` captures ("/v1/sessions/{id}/{action}"); a
// path that matches no pattern is 404, one that matches with another method
// 405 with Allow (RFC 9110 §15.5.6). The routes can be listed, so the
// OpenAPI document is checked against them.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/http_types.hpp"

namespace voxgate::net {

using PathParams = std::map<std::string, std::string, std::less<>>;

class Router {
 public:
  // The new route's index (0, 1, ...). A bug (std::logic_error) for a
  // malformed pattern or a duplicate.
  std::size_t add(http::verb method, std::string_view pattern);

  enum class Outcome { Found, NotFound, MethodNotAllowed };
  struct Lookup {
    Outcome outcome = Outcome::NotFound;
    std::size_t index = 0;
    PathParams params;
    std::string pattern;  // the matched pattern (for metrics labels)
    std::string allow;    // for 405: "GET, DELETE"
  };
  [[nodiscard]] Lookup find(http::verb method, std::string_view path) const;

  struct RouteInfo {
    http::verb method;
    std::string pattern;
  };
  [[nodiscard]] std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" for a capture
  };
  static bool matches(const Route& route, const std::vector<std::string_view>& path, PathParams* params);

  std::vector<Route> routes_;
};

}  // namespace voxgate::net
