// GET /v1/cdrs: the CDR store, filtered and paged like the session list
// (docs/API.md). The query runs on the API's thread on the writer's read
// connection (SQLite WAL: it never waits for a batch being written).

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_server.hpp"
#include "api/cdr/cdr_writer.hpp"
#include "api/detail/exchange.hpp"
#include "api/json_codec.hpp"
#include "api/session_query.hpp"

namespace voxgate::api {
namespace {

Result<CdrFilter> cdr_filter_from(const net::QueryParams& params) {
  CdrFilter filter;
  for (const auto& [name, value] : params) {
    if (name == "direction") {
      auto direction = parse_direction(value);
      if (!direction) return tl::unexpected(direction.error());
      filter.direction = *direction;
    } else if (name == "party") {
      filter.party = value;
    } else if (name == "session_id") {
      auto id = parse_session_id(value);
      if (!id) return tl::unexpected(id.error());
      filter.session_id = *id;
    } else if (name == "call_id") {
      filter.call_id = value;
    } else if (name == "ended_by") {
      if (value == "local") {
        filter.ended_by = session::EndedBy::Local;
      } else if (value == "remote") {
        filter.ended_by = session::EndedBy::Remote;
      } else if (value == "system") {
        filter.ended_by = session::EndedBy::System;
      } else {
        return make_error(Errc::InvalidArgument, "ended_by: '{}' is not local, remote or system", value);
      }
    } else if (name == "sip_status") {
      auto status = parse_count(name, value);
      if (!status || *status > 699) return make_error(Errc::InvalidArgument, "sip_status: '{}' is not a status", value);
      filter.sip_status = static_cast<std::uint16_t>(*status);
    } else if (name == "created_after" || name == "created_before") {
      auto time = parse_time(value);
      if (!time) return make_error(Errc::InvalidArgument, "{}: {}", name, time.error().message);
      (name == "created_after" ? filter.created_after : filter.created_before) = *time;
    } else if (name.starts_with("meta.") && name.size() > 5) {
      filter.metadata.emplace_back(name.substr(5), value);
    } else if (name == "limit") {
      auto limit = parse_count(name, value);
      if (!limit) return tl::unexpected(limit.error());
      filter.limit = static_cast<std::size_t>(*limit);
    } else if (name == "cursor") {
      auto cursor = parse_count(name, value);
      if (!cursor) return tl::unexpected(cursor.error());
      filter.cursor = CdrId(*cursor);
    } else {
      return make_error(Errc::InvalidArgument, "unknown parameter '{}'", name);
    }
  }
  return filter;
}

boost::json::object to_json(const StoredCdr& stored) {
  const CallDetailRecord& cdr = stored.record;
  boost::json::object object;
  object["id"] = fmt::format("{}", stored.id.value());
  object["session_id"] = fmt::format("{}", cdr.session_id.value());
  object["call_id"] = cdr.call_id;
  object["direction"] = session::to_string(cdr.direction);
  const bool inbound = cdr.direction == session::Direction::Inbound;
  object["from"] = inbound ? cdr.remote.uri : cdr.local.uri;
  object["to"] = inbound ? cdr.local.uri : cdr.remote.uri;
  object["created"] = format_time(cdr.created);
  object["answered"] = cdr.answered ? boost::json::value(format_time(*cdr.answered)) : nullptr;
  object["ended"] = format_time(cdr.ended);
  object["duration_seconds"] = std::chrono::duration<double>(cdr.duration).count();
  object["ended_by"] = session::to_string(cdr.ended_by);
  object["sip_status"] = cdr.sip_status;
  object["reason"] = cdr.reason;
  object["cause"] = snake_case(cdr.cause);
  object["codec"] = cdr.codec;
  object["remote_rtp"] = cdr.remote_rtp;
  boost::json::object rtp;
  rtp["packets_sent"] = cdr.packets_sent;
  rtp["packets_received"] = cdr.packets_received;
  rtp["packets_lost"] = cdr.packets_lost;
  rtp["jitter_ms"] = cdr.jitter_ms;
  object["rtp"] = std::move(rtp);
  boost::json::object metadata;
  for (const auto& [key, value] : cdr.metadata) metadata[key] = value;
  object["metadata"] = std::move(metadata);
  return object;
}

}  // namespace

void ApiServer::add_cdr_routes() {
  route(http::verb::get, "/v1/cdrs", [this](const ExchangePtr& exchange) {
    if (deps_.cdrs == nullptr) return exchange->fail(ApiErrorCode::NotFound, "CDRs are not recorded ([cdr] path)");
    auto params = net::parse_query(net::query_of(exchange->request.target()));
    if (!params) return exchange->fail(params.error());
    auto filter = cdr_filter_from(*params);
    if (!filter) return exchange->fail(filter.error());
    auto page = deps_.cdrs->query(*filter);
    if (!page) return exchange->fail(page.error());
    boost::json::array cdrs;
    for (const auto& stored : page->cdrs) cdrs.push_back(to_json(stored));
    boost::json::object body;
    body["cdrs"] = std::move(cdrs);
    body["next_cursor"] = page->next_cursor ? boost::json::value(fmt::format("{}", page->next_cursor->value()))
                                            : boost::json::value(nullptr);
    exchange->respond(http::status::ok, body);
  });
}

}  // namespace voxgate::api
