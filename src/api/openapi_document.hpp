#pragma once
// GET /v1/openapi.json: the OpenAPI 3.0 description of the API. A test
// (api_server_test.cpp) checks that its paths and methods are exactly the
// server's routes.

#include <string>

namespace voxgate::api {

const std::string& openapi_document();

}  // namespace voxgate::api
