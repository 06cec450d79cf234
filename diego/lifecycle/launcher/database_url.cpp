#include "diego/lifecycle/launcher/database_url.h"

#include <rapidjson/document.h>

namespace cupola::lifecycle {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The scheme, lower-cased, or empty when the URI has none (RFC 3986: a letter, then
// letters, digits, '+', '-' or '.', then ':').
std::string scheme_of(std::string_view uri) {
  std::string scheme;
  for (char c : uri) {
    if (c == ':') return scheme;
    bool ok = is_alpha(c) || (!scheme.empty() && (is_digit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return {};
    scheme += is_alpha(c) ? static_cast<char>(c | 0x20) : c;
  }
  return {};
}

// Whether a URL parser would accept what follows the scheme.
bool parses(std::string_view rest) {
  for (unsigned char c : rest) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  std::string_view before_query = rest.substr(0, rest.find_first_of("?#"));
  for (std::size_t i = 0; i < before_query.size(); ++i) {
    if (before_query[i] != '%') continue;
    if (i + 2 >= before_query.size() || !is_hex(before_query[i + 1]) ||
        !is_hex(before_query[i + 2])) {
      return false;
    }
  }
  if (before_query.substr(0, 2) != "//") return true;
  std::string_view authority = before_query.substr(2);
  authority = authority.substr(0, authority.find('/'));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (auto bracket = authority.rfind(']'); bracket != std::string_view::npos) {
    authority.remove_prefix(bracket + 1);
  }
  if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    for (char c : authority.substr(colon + 1)) {
      if (!is_digit(c)) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> service_credential_uris(std::string_view vcap_services) {
  std::vector<std::string> uris;
  rapidjson::Document doc;
  doc.Parse(vcap_services.data(), vcap_services.size());
  if (doc.HasParseError() || !doc.IsObject()) return uris;
  for (const auto& label : doc.GetObject()) {
    if (!label.value.IsArray()) continue;
    for (const auto& service : label.value.GetArray()) {
      if (!service.IsObject()) continue;
      auto creds = service.FindMember("credentials");
      if (creds == service.MemberEnd() || !creds->value.IsObject()) continue;
      auto uri = creds->value.FindMember("uri");
      if (uri == creds->value.MemberEnd() || !uri->value.IsString()) continue;
      if (uri->value.GetStringLength() == 0) continue;
      uris.emplace_back(uri->value.GetString(), uri->value.GetStringLength());
    }
  }
  return uris;
}

std::optional<std::string> database_url(const std::vector<std::string>& uris) {
  for (const auto& uri : uris) {
    std::string scheme = scheme_of(uri);
    std::string_view rest = std::string_view(uri).substr(scheme.size());  // from the ':'
    if (scheme.empty() || !parses(rest.substr(1))) continue;
    if (scheme == "mysql") scheme = "mysql2";
    if (scheme == "postgresql") scheme = "postgres";
    if (scheme == "mysql2" || scheme == "postgres") return scheme + std::string(rest);
  }
  return std::nullopt;
}

}  // namespace cupola::lifecycle
