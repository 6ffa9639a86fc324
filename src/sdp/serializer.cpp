#include "sdp/serializer.hpp"

#include <iterator>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace voxgate::sdp {

namespace {

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void append_bandwidths(std::string& out, const std::vector<Bandwidth>& bandwidths) {
  for (const Bandwidth& b : bandwidths) fmt::format_to(std::back_inserter(out), "b={}:{}\r\n", b.type, b.value);
}

void append_attributes(std::string& out, const Attributes& attributes) {
  for (const Attribute& a : attributes) {
    out += "a=";
    out += a.name;
    if (a.value) {
      out += ':';
      out += *a.value;
    }
    out += "\r\n";
  }
}

void append_other_lines(std::string& out, const std::vector<OtherLine>& lines) {
  for (const OtherLine& l : lines) line(out, l.type, l.value);
}

void append_media(std::string& out, const MediaDescription& m) {
  fmt::format_to(std::back_inserter(out), "m={} {}", m.media, m.port);
  if (m.port_count) fmt::format_to(std::back_inserter(out), "/{}", *m.port_count);
  out += ' ';
  out += m.proto;
  for (const std::string& f : m.formats) {
    out += ' ';
    out += f;
  }
  out += "\r\n";
  if (m.title) line(out, 'i', *m.title);
  for (const Connection& c : m.connections) {
    out += "c=";
    append_connection(out, c);
    out += "\r\n";
  }
  append_bandwidths(out, m.bandwidths);
  if (m.key) line(out, 'k', *m.key);
  append_other_lines(out, m.other_lines);
  append_attributes(out, m.attributes);
}

}  // namespace

void append_connection(std::string& out, const Connection& c) {
  out += "IN ";
  out += to_string(c.address_type);
  out += ' ';
  out += c.address;
  if (c.ttl) fmt::format_to(std::back_inserter(out), "/{}", *c.ttl);
  if (c.address_count) fmt::format_to(std::back_inserter(out), "/{}", *c.address_count);
}

std::string serialize(const SessionDescription& sdp) {
  std::string out;
  out.reserve(256 + 256 * sdp.media.size());
  out += "v=0\r\n";
  const Origin& o = sdp.origin;
  fmt::format_to(std::back_inserter(out), "o={} {} {} IN {} {}\r\n", o.username, o.session_id, o.session_version,
                 to_string(o.address_type), o.address);
  line(out, 's', sdp.session_name.empty() ? std::string_view(" ") : std::string_view(sdp.session_name));
  if (sdp.information) line(out, 'i', *sdp.information);
  if (sdp.uri) line(out, 'u', *sdp.uri);
  for (const std::string& e : sdp.emails) line(out, 'e', e);
  for (const std::string& p : sdp.phones) line(out, 'p', p);
  if (sdp.connection) {
    out += "c=";
    append_connection(out, *sdp.connection);
    out += "\r\n";
  }
  append_bandwidths(out, sdp.bandwidths);
  if (sdp.timings.empty()) out += "t=0 0\r\n";  // t= is mandatory (RFC 4566 §5.9)
  for (const Timing& t : sdp.timings) {
    fmt::format_to(std::back_inserter(out), "t={} {}\r\n", t.start, t.stop);
    for (const std::string& r : t.repeats) line(out, 'r', r);
  }
  if (sdp.time_zones) line(out, 'z', *sdp.time_zones);
  if (sdp.key) line(out, 'k', *sdp.key);
  append_other_lines(out, sdp.other_lines);
  append_attributes(out, sdp.attributes);
  for (const MediaDescription& m : sdp.media) append_media(out, m);
  return out;
}

}  // namespace voxgate::sdp
