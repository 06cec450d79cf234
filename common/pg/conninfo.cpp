#include "common/pg/conninfo.h"

#include <libpq-fe.h>

#include <array>

namespace cupola::pg {

Result<std::string> describe_conninfo(std::string_view conninfo) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &err);
  if (!options) {
    // libpq's message may quote the input, which can hold a password.
    if (err) PQfreemem(err);
    return make_error(Errc::InvalidArgument, "postgres connection string cannot be parsed");
  }
  constexpr std::array<std::string_view, 4> kShown{"host", "port", "dbname", "user"};
  std::string out;
  for (auto key : kShown) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (key != o->keyword || !o->val || !*o->val) continue;
      if (!out.empty()) out += ' ';
      out += std::string(key) + "=" + o->val;
    }
  }
  PQconninfoFree(options);
  return out;
}

std::string safe_conninfo(std::string_view conninfo) {
  auto d = describe_conninfo(conninfo);
  return d ? *d : "<invalid conninfo>";
}

bool is_valid_channel_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name.front() >= '0' && name.front() <= '9') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace cupola::pg
