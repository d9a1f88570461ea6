#include <vpnaas/acs/http/message.hpp>

#include <algorithm>
#include <cctype>

namespace vpnaas::acs::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

} // namespace

const std::string* Request::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) {
      return &h.value;
    }
  }
  return nullptr;
}

std::string_view reason_phrase(int status) {
  // The codes this server or a CWMP session answers with (RFC 9110, RFC 6585).
  switch (status) {
  case 100:
    return "Continue";
  case 200:
    return "OK";
  case 204:
    return "No Content";
  case 301:
    return "Moved Permanently";
  case 302:
    return "Found";
  case 304:
    return "Not Modified";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 408:
    return "Request Timeout";
  case 409:
    return "Conflict";
  case 410:
    return "Gone";
  case 411:
    return "Length Required";
  case 413:
    return "Content Too Large";
  case 415:
    return "Unsupported Media Type";
  case 429:
    return "Too Many Requests";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 503:
    return "Service Unavailable";
  default:
    return "";
  }
}

const char* server_event_name(ServerEvent::Kind kind) {
  switch (kind) {
  case ServerEvent::Kind::bad_request:
    return "bad-request";
  case ServerEvent::Kind::body_too_large:
    return "body-too-large";
  case ServerEvent::Kind::headers_too_large:
    return "headers-too-large";
  case ServerEvent::Kind::overloaded:
    return "overloaded";
  case ServerEvent::Kind::tls_handshake_failed:
    return "tls-handshake-failed";
  case ServerEvent::Kind::accept_failed:
    return "accept-failed";
  }
  return "unknown";
}

} // namespace vpnaas::acs::http
