#pragma once

// Internal to the CLI's manifest code (manifest.cpp, push_plan.cpp): reading YAML nodes
// without changing them, cf's words for usage mistakes, sizes, bounded file reads, and
// writing YAML back.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::cli::manifest_detail {

inline Error fail(std::string message, Errc code = Errc::InvalidArgument) {
  return Error{make_error_code(code), std::move(message)};
}

inline Error usage(const std::string& message) { return fail("Incorrect Usage: " + message); }

inline Error combination(const std::string& args) {
  return usage("The following arguments cannot be used together: " + args);
}

// A key of a map, read without inserting it (yaml-cpp's non-const operator[] would). Missing
// keys and non-maps give an undefined node, which is false and safe to ask for its type.
inline YAML::Node get(const YAML::Node& map, const char* key) {
  if (map.IsMap()) {
    if (auto v = map[key]) return v;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// A scalar's text: nullopt when the key is absent, "" for null (checks report other types).
inline std::optional<std::string> text_at(const YAML::Node& map, const char* key) {
  auto v = get(map, key);
  if (!v) return std::nullopt;
  return v.IsScalar() ? v.Scalar() : std::string();
}

inline YAML::Node seq(const YAML::Node& map, const char* key) {
  auto v = get(map, key);
  return v.IsSequence() ? v : YAML::Node(YAML::NodeType::Sequence);
}

inline YAML::Node tagged(const std::string& text, const std::string& tag) {
  YAML::Node out(text);
  out.SetTag(tag);
  return out;
}

inline std::optional<std::int64_t> whole(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

inline bool is_true(const YAML::Node& n) {
  bool b = false;
  return n.IsScalar() && YAML::convert<bool>::decode(n, b) && b;
}

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Sizes as the Cloud Controller takes them in manifests: "512", "256M", "1G", "1024MB".
// The -m and -k flags follow cf's flag rule instead: a positive integer with M, G or T.
inline bool is_size(std::string_view text, bool flag) {
  static const std::set<std::string> kUnits{"", "b", "k", "kb", "m", "mb", "g", "gb", "t", "tb"};
  static const std::set<std::string> kFlagUnits{"m", "mb", "g", "gb", "t", "tb"};
  auto digits = std::min(text.find_first_not_of("0123456789"), text.size());
  bool zero = text.substr(0, digits).find_first_not_of('0') == std::string_view::npos;
  auto unit = lower(std::string(text.substr(digits)));
  if (digits == 0) return false;
  return flag ? !zero && kFlagUnits.count(unit) > 0 : kUnits.count(unit) > 0;
}

// A file of at most kMaxManifestBytes (manifests, vars files); WHAT names it in errors.
Result<std::string> read_limited(const std::filesystem::path& file, const std::string& what);
// Writes N as YAML; text that was quoted stays quoted.
void emit(YAML::Emitter& out, const YAML::Node& n);

}  // namespace cupola::cli::manifest_detail
