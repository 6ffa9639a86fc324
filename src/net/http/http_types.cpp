#include "net/http/http_types.hpp"

#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace voxgate::net {

HttpResponse make_response(const HttpRequest& request, http::status status, std::string body,
                           std::string_view content_type) {
  HttpResponse response(status, request.version());
  response.set(http::field::server, "voxgate");
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

std::string_view path_of(std::string_view target) noexcept {
  return target.substr(0, target.find('?'));
}

std::string_view query_of(std::string_view target) noexcept {
  const auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view{} : target.substr(mark + 1);
}

std::string error_body(std::string_view code, std::string_view message) {
  boost::json::object body;
  body["code"] = code;
  body["message"] = message;
  body["details"] = boost::json::object();
  return boost::json::serialize(body);
}

}  // namespace voxgate::net
