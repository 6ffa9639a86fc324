#include "session/registry/session_filter.hpp"

#include <algorithm>
#include <string_view>

namespace voxgate::session {

bool SessionFilter::matches(const SessionRecord& record) const noexcept {
  if (!states.empty() && !states.contains(record.state)) return false;
  if (direction && *direction != record.direction) return false;
  if (!party.empty() && record.local.uri.find(party) == std::string::npos &&
      record.remote.uri.find(party) == std::string::npos) {
    return false;
  }
  if (created_after && !(record.created > *created_after)) return false;
  if (created_before && !(record.created < *created_before)) return false;
  return std::all_of(metadata.begin(), metadata.end(), [&](const auto& wanted) {
    const auto found = record.metadata.find(std::string_view(wanted.first));
    return found != record.metadata.end() && found->second == wanted.second;
  });
}

Result<void> validate(const SessionFilter& filter) {
  if (filter.limit == 0 || filter.limit > SessionFilter::kMaxLimit) {
    return make_error(Errc::InvalidArgument, "list limit {} is outside 1..{}", filter.limit, SessionFilter::kMaxLimit);
  }
  for (const auto& [key, value] : filter.metadata) {
    if (key.empty()) return make_error(Errc::InvalidArgument, "metadata filter with an empty key");
  }
  return {};
}

}  // namespace voxgate::session
