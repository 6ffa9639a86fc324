#include "app/hangup_command.hpp"

#include <ostream>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace voxgate::app {

std::string hangup_target(const HangupOptions& options) {
  std::string target = "/v1/sessions/" + url_escape(options.id);
  if (!options.reason.empty()) target += "?reason=" + url_escape(options.reason);
  return target;
}

int run_hangup(const HangupOptions& options, const EnvironmentLookup& getenv, std::ostream& out, std::ostream& err) {
  if (options.id.empty()) {
    err << "voxgate hangup: the session ID is empty\n";
    return 2;
  }
  auto endpoint = resolve_api_endpoint(options.endpoint, getenv);
  if (!endpoint) {
    err << "voxgate hangup: " << endpoint.error().message << "\n";
    return 2;
  }
  auto response = call_api(*endpoint, boost::beast::http::verb::delete_, hangup_target(options));
  if (!response) {
    err << "voxgate hangup: " << response.error().message << "\n";
    return 1;
  }
  if (response->status != 204) {
    if (options.json && !response->body.empty()) out << response->body << "\n";
    err << "voxgate hangup " << options.id << ": " << describe_api_error(*response) << "\n";
    return 1;
  }
  if (options.json) {
    out << boost::json::serialize(boost::json::object{{"id", options.id}, {"result", "hanging_up"}}) << "\n";
  } else {
    out << "hanging up session " << options.id << "\n";
  }
  return 0;
}

}  // namespace voxgate::app
