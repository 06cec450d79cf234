#include "bbs/api/codec/raw.h"

namespace cupola::bbs {

void read_raw_object(json::ObjectReader& r, std::string_view key, std::string& out, bool required) {
  const auto* v = r.find(key);
  if (!v || v->IsNull()) {
    if (required) r.problem(key, "is required");
    return;
  }
  if (!v->IsObject()) {
    r.problem(key, "expected an object, got " + std::string(json::type_name(*v)));
    return;
  }
  out = json::to_string(*v);
}

void write_raw_field(json::Writer& w, std::string_view key, const std::string& raw) {
  if (raw.empty()) return;
  w.key(key).raw(raw);
}

void read_env(json::ObjectReader& r, std::vector<EnvironmentVariable>& env) {
  const auto* v = r.find("env");
  if (!v || v->IsNull()) return;
  if (!v->IsArray()) {
    r.problem("env", "expected an array of {name, value}");
    return;
  }
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    json::ObjectReader er((*v)[i], r.path_of("env[" + std::to_string(i) + "]"), r);
    EnvironmentVariable e;
    er.required("name", e.name);
    er.optional("value", e.value);
    env.push_back(std::move(e));
  }
}

void write_env(json::Writer& w, const std::vector<EnvironmentVariable>& env) {
  w.key("env").start_array();
  for (const auto& e : env) {
    w.start_object().field("name", e.name).field("value", e.value).end_object();
  }
  w.end_array();
}

}  // namespace cupola::bbs

namespace cupola::bbs {

void read_log_rate_limit(json::ObjectReader& r, std::int64_t& bytes_per_second) {
  if (!r.find("log_rate_limit")) return;
  auto limit = r.object("log_rate_limit");
  limit.optional("bytes_per_second", bytes_per_second);
  if (bytes_per_second < 0) {
    r.problem("log_rate_limit", "bytes_per_second must not be negative");
    bytes_per_second = 0;
  }
}

void write_log_rate_limit(json::Writer& w, std::int64_t bytes_per_second) {
  if (bytes_per_second <= 0) return;
  w.key("log_rate_limit")
      .start_object()
      .field("bytes_per_second", static_cast<long long>(bytes_per_second))
      .end_object();
}

}  // namespace cupola::bbs
