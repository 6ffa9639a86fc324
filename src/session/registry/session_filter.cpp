#include "session/registry/session_filter.hpp"

#include "session/registry/detail/filter_match.hpp"

namespace voxgate::session {

bool SessionFilter::matches(const SessionRecord& record) const noexcept {
  return detail::filter_matches(*this, detail::RecordFields(record));
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
