#include "service_broker/src/names.h"

#include <openssl/sha.h>

#include <libpq-fe.h>

#include <array>
#include <memory>

namespace cupola::pg_broker {
namespace {

std::string hex_digest(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string quote_conninfo_value(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

std::string instance_database(std::string_view instance_id) {
  return "cupola_i_" + hex_digest(instance_id);
}

std::string binding_username(std::string_view instance_id, std::string_view binding_id) {
  std::string key(instance_id);
  key += '\n';
  key += binding_id;
  return "cupola_b_" + hex_digest(key);
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string quote_literal(std::string_view text) {
  bool backslash = text.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : text) {
    if (c == '\'' || (backslash && c == '\\')) out += c;
    out += c;
  }
  out += '\'';
  return out;
}

Result<std::string> with_dbname(std::string_view conninfo, std::string_view dbname) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(std::string(conninfo).c_str(), &err), &PQconninfoFree);
  if (err) PQfreemem(err);
  if (!options) {
    return make_error(Errc::InvalidArgument, "the target conninfo cannot be parsed by libpq");
  }
  std::string out;
  for (auto* o = options.get(); o->keyword; ++o) {
    std::string_view key = o->keyword;
    if (key == "dbname" || !o->val) continue;
    out += key;
    out += '=';
    out += quote_conninfo_value(o->val);
    out += ' ';
  }
  out += "dbname=" + quote_conninfo_value(dbname);
  return out;
}

}  // namespace cupola::pg_broker
