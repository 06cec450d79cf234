#pragma once

// Internal to the codecs: helpers for enum fields, JSON kept as text, and env lists.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bbs/api/models/desired_lrp.h"
#include "common/json/json.h"

namespace cupola::bbs {

// Reads a string member through `parse`; an unknown value is a problem naming the field.
template <class E, class Parse>
void read_enum(json::ObjectReader& r, std::string_view key, E& out, Parse parse) {
  std::string text;
  if (!r.find(key)) return;
  if (!r.optional(key, text)) return;
  if (auto v = parse(text)) {
    out = *v;
  } else {
    r.problem(key, "unknown value \"" + text + "\"");
  }
}

// A member that must be a JSON object, kept as compact text ("" when absent or null).
void read_raw_object(json::ObjectReader& r, std::string_view key, std::string& out,
                     bool required = false);
// Writes `raw` as the member's value unless it is empty.
void write_raw_field(json::Writer& w, std::string_view key, const std::string& raw);

void read_env(json::ObjectReader& r, std::vector<EnvironmentVariable>& env);
// "log_rate_limit": {"bytes_per_second": n}, written only when n > 0; a negative n is a
// problem.
void read_log_rate_limit(json::ObjectReader& r, std::int64_t& bytes_per_second);
void write_log_rate_limit(json::Writer& w, std::int64_t bytes_per_second);
void write_env(json::Writer& w, const std::vector<EnvironmentVariable>& env);

}  // namespace cupola::bbs
