#include "net/http/router.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace voxgate::net {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return segments;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::size_t Router::add(http::verb method, std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') throw std::logic_error(fmt::format("route '{}': not a path", pattern));
  Route route{method, std::string(pattern), {}};
  for (const auto segment : split_path(pattern)) route.segments.emplace_back(segment);
  for (const auto& existing : routes_) {
    if (existing.method == method && existing.segments == route.segments) {
      throw std::logic_error(fmt::format("route {} {} declared twice", to_string(method), pattern));
    }
  }
  routes_.push_back(std::move(route));
  return routes_.size() - 1;
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& path, PathParams* params) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!is_capture(route.segments[i]) && route.segments[i] != path[i]) return false;
  }
  if (params != nullptr) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      const auto& segment = route.segments[i];
      if (is_capture(segment)) params->emplace(segment.substr(1, segment.size() - 2), path[i]);
    }
  }
  return true;
}

Router::Lookup Router::find(http::verb method, std::string_view path) const {
  const auto segments = split_path(path);
  Lookup lookup;
  // Literal segments win over captures: the most literal match is taken
  // ("/v1/sessions/stats" before "/v1/sessions/{id}").
  const Route* best = nullptr;
  std::size_t best_literals = 0;
  for (const auto& route : routes_) {
    if (!matches(route, segments, nullptr)) continue;
    if (route.method != method) {
      if (lookup.allow.find(to_string(route.method)) == std::string::npos) {
        if (!lookup.allow.empty()) lookup.allow += ", ";
        lookup.allow += to_string(route.method);
      }
      continue;
    }
    std::size_t literals = 0;
    for (const auto& segment : route.segments) literals += is_capture(segment) ? 0 : 1;
    if (best == nullptr || literals > best_literals) {
      best = &route;
      best_literals = literals;
    }
  }
  if (best != nullptr) {
    lookup.outcome = Outcome::Found;
    lookup.index = static_cast<std::size_t>(best - routes_.data());
    lookup.pattern = best->pattern;
    matches(*best, segments, &lookup.params);
    lookup.allow.clear();
  } else if (!lookup.allow.empty()) {
    lookup.outcome = Outcome::MethodNotAllowed;
  }
  return lookup;
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> infos;
  infos.reserve(routes_.size());
  for (const auto& route : routes_) infos.push_back({route.method, route.pattern});
  return infos;
}

}  // namespace voxgate::net
