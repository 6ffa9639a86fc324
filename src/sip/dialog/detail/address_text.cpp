#include "sip/dialog/detail/address_text.hpp"

#include "base/ascii.hpp"

namespace voxgate::sip::dialog_detail {

namespace {

void append_param(std::string& out, const Param& p) {
  out += ';';
  out += p.name;
  if (!p.has_value) return;
  out += '=';
  if (p.quoted) {
    out += '"';
    out += p.value;
    out += '"';
  } else {
    out += p.value;
  }
}

}  // namespace

std::string address_without_tag(const NameAddr& address) {
  std::string out;
  if (!address.display_name.empty()) {
    if (address.display_name_quoted) {
      out += '"';
      out += address.display_name;
      out += "\" ";
    } else {
      out += address.display_name;
      out += ' ';
    }
  }
  out += '<';
  out += address.uri.text;
  out += '>';
  for (const Param& p : address.params) {
    if (!ascii::iequals(p.name, "tag")) append_param(out, p);
  }
  return out;
}

std::string request_uri_form(const Uri& uri) {
  if (!uri.is_sip()) return std::string(uri.text);
  const bool has_method = uri.params.has("method");
  if (!has_method && uri.headers.empty()) return std::string(uri.text);
  std::string out(uri.scheme_name);
  out += ':';
  if (uri.has_user()) {
    out += uri.user;
    if (uri.has_password) {
      out += ':';
      out += uri.password;
    }
    out += '@';
  }
  out += uri.host;
  if (uri.port) {
    out += ':';
    out += std::to_string(*uri.port);
  }
  for (const Param& p : uri.params) {
    if (!ascii::iequals(p.name, "method")) append_param(out, p);
  }
  return out;
}

}  // namespace voxgate::sip::dialog_detail
