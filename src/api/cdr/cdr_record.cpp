#include "api/cdr/cdr_record.hpp"

#include <string>

#include "session/registry/session_state.hpp"

namespace voxgate::api {

CallDetailRecord cdr_from(const session::SessionRecord& ended_record) {
  const session::SessionRecord& r = ended_record;
  CallDetailRecord cdr;
  cdr.session_id = r.id;
  cdr.call_id = r.call_id;
  cdr.direction = r.direction;
  cdr.local = r.local;
  cdr.remote = r.remote;
  cdr.created = r.created;
  cdr.answered = r.answered;
  cdr.ended = r.ended.value_or(r.created);
  // Wall time can step back (NTP) between answer and end; a negative
  // billable time would be worse than none.
  if (cdr.answered && cdr.ended > *cdr.answered) cdr.duration = cdr.ended - *cdr.answered;
  if (r.end_info) {
    cdr.ended_by = r.end_info->by;
    cdr.sip_status = r.end_info->sip_status;
    cdr.reason = r.end_info->reason;
    cdr.cause = std::string(session::to_string(r.end_info->cause));
  } else if (r.last_cause) {
    cdr.cause = std::string(session::to_string(*r.last_cause));
  }
  if (r.media) {
    cdr.codec = r.media->codec;
    cdr.remote_rtp = r.media->remote_rtp;
  }
  cdr.metadata = r.metadata;
  return cdr;
}

}  // namespace voxgate::api
