#include "api/cdr/cdr_filter.hpp"

namespace voxgate::api {

Result<void> validate(const CdrFilter& filter) {
  if (filter.limit == 0 || filter.limit > CdrFilter::kMaxLimit) {
    return make_error(Errc::InvalidArgument, "CDR query limit {} is outside 1..{}", filter.limit, CdrFilter::kMaxLimit);
  }
  if (filter.metadata.size() > CdrFilter::kMaxMetadataCriteria) {
    return make_error(Errc::InvalidArgument, "CDR query has {} metadata criteria, at most {} allowed",
                      filter.metadata.size(), CdrFilter::kMaxMetadataCriteria);
  }
  for (const auto& [key, value] : filter.metadata) {
    if (key.empty()) return make_error(Errc::InvalidArgument, "CDR metadata criterion with an empty key");
  }
  return {};
}

}  // namespace voxgate::api
