#include "cli/src/manifest.h"

#include "cli/src/manifest_detail.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <set>

namespace cupola::cli {

namespace manifest_detail {

namespace fs = std::filesystem;

Result<std::string> read_limited(const std::filesystem::path& file, const std::string& what) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (!ec && size > kMaxManifestBytes) {
    return fail("The " + what + " " + file.string() + " is larger than 1 MiB (" +
                    std::to_string(size) + " bytes)",
                Errc::LimitExceeded);
  }
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) return fail("Cannot read " + what + " " + file.string(), Errc::NotFound);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void emit(YAML::Emitter& out, const YAML::Node& n) {
  if (n.IsMap()) {
    out << YAML::BeginMap;
    for (const auto& kv : n) {
      out << YAML::Key;
      emit(out, kv.first);
      out << YAML::Value;
      emit(out, kv.second);
    }
    out << YAML::EndMap;
  } else if (n.IsSequence()) {
    out << YAML::BeginSeq;
    for (const auto& item : n) emit(out, item);
    out << YAML::EndSeq;
  } else if (n.IsScalar()) {
    // Text that was quoted stays quoted, so "0123" or "true" remain strings.
    if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") out << YAML::DoubleQuoted;
    out << n.Scalar();
  } else {
    out << YAML::Null;
  }
}

}  // namespace manifest_detail

namespace fs = std::filesystem;
using namespace manifest_detail;

namespace {

// Copies a parsed document into fresh, unshared nodes (aliases expanded), replacing
// `((name))` placeholders as cf does on the parsed document: a placeholder that is the whole
// value takes the variable's value with its type; inside text the value must be a scalar.
// A budget bounds the work, since aliases let a small text stand for a huge tree, and a
// depth limit stops at aliases that contain themselves.
struct Interpolator {
  explicit Interpolator(const ManifestVars& v) : vars(v) {}
  static constexpr std::size_t kMaxDepth = 200;
  const ManifestVars& vars;
  std::size_t budget = kMaxManifestValues;
  std::size_t depth = 0;
  std::set<std::string> missing;
  std::optional<std::string> failure;  // "" when the budget or the depth ran out

  YAML::Node copy(const YAML::Node& in, bool substitute) {
    if (failure || budget == 0 || depth == kMaxDepth) {
      if (!failure) failure = "";
      return {};
    }
    --budget;
    ++depth;
    YAML::Node out(in.IsMap() || in.IsSequence() ? in.Type() : YAML::NodeType::Null);
    if (in.IsMap()) {
      for (const auto& kv : in) {
        out.force_insert(copy(kv.first, substitute), copy(kv.second, substitute));
      }
    } else if (in.IsSequence()) {
      for (const auto& item : in) out.push_back(copy(item, substitute));
    } else if (in.IsScalar()) {
      out.reset(substitute ? scalar(in) : tagged(in.Scalar(), in.Tag()));
    }
    --depth;
    return out;
  }

  std::optional<YAML::Node> lookup(const std::string& name) {
    auto dot = name.find('.');
    auto it = vars.find(name.substr(0, dot));
    if (it == vars.end()) {
      missing.insert(name.substr(0, dot));
      return std::nullopt;
    }
    YAML::Node value = it->second;
    for (auto next = dot; next != std::string::npos; dot = next) {
      next = name.find('.', dot + 1);
      auto key = name.substr(dot + 1, next - dot - 1);
      if (!get(value, key.c_str())) {
        failure = "Finding variable '" + name + "': Expected to find a map key '" + key + "'";
        return std::nullopt;
      }
      value.reset(get(value, key.c_str()));
    }
    return value;
  }

  YAML::Node scalar(const YAML::Node& in) {
    const std::string& text = in.Scalar();
    auto name_char = [](unsigned char c) {
      return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
    };
    std::string out;
    std::size_t pos = 0;
    for (auto open = text.find("(("); open != std::string::npos; open = text.find("((", pos)) {
      auto start = open + 2 + (text.compare(open + 2, 1, "!") == 0 ? 1 : 0);
      auto end = start;
      while (end < text.size() && name_char(text[end])) ++end;
      if (end == start || text.compare(end, 2, "))") != 0) {
        out.append(text, pos, open + 2 - pos);
        pos = open + 2;
        continue;
      }
      auto name = text.substr(start, end - start);
      auto value = lookup(name);
      if (value && open == 0 && end + 2 == text.size()) return copy(*value, false);
      out.append(text, pos, open - pos);
      if (!value || value->IsScalar()) {
        out += value ? value->Scalar() : text.substr(open, end + 2 - open);
      } else if (!failure) {
        failure = "Invalid type for value of variable '" + name +
                  "'. Supported types for interpolation within a string are integers and "
                  "strings.";
      }
      pos = end + 2;
    }
    return tagged(pos == 0 ? text : out + text.substr(pos), in.Tag());
  }
};

// Checks one app (or process), recording problems prefixed with what they are about.
struct Checker {
  std::string label;
  std::vector<std::string>& problems;

  void check(bool ok, const std::string& what) {
    if (!ok) problems.push_back(label + ": " + what);
  }

  void text(const YAML::Node& n, const char* key) {
    auto v = get(n, key);
    check(!v || v.IsNull() || v.IsScalar(), std::string(key) + " must be a string");
  }

  // A list whose entries are text (when `text_ok`) or maps with text under `key_in_map`.
  void list(const YAML::Node& n, const char* key, bool text_ok, const char* key_in_map,
            const std::string& what) {
    auto v = get(n, key);
    bool ok = !v || v.IsNull() || v.IsSequence();
    for (const auto& e : seq(n, key)) {
      ok = ok && ((text_ok && e.IsScalar()) || (key_in_map && get(e, key_in_map).IsScalar()));
    }
    check(ok, std::string(key) + " must be a list of " + what);
  }

  void process(YAML::Node& n) {
    auto number = [&](const char* key, std::int64_t min) {
      auto v = get(n, key);
      return !v || (v.IsScalar() && whole(v.Scalar()).value_or(min - 1) >= min);
    };
    check(number("instances", 0), "instances must be a whole number, 0 or more");
    check(number("timeout", 1), "timeout must be a whole number of seconds, 1 or more");
    if (auto v = get(n, "disk_quota")) {
      check(!get(n, "disk-quota"), "cannot define both `disk_quota` and `disk-quota`");
      n.remove("disk_quota");
      n["disk-quota"] = v;
    }
    for (const char* key : {"memory", "disk-quota"}) {
      auto v = get(n, key);
      check(!v || (v.IsScalar() && is_size(v.Scalar(), false)),
            std::string(key) + " must be a size like 256M or 1G");
    }
    auto type = get(n, "health-check-type");
    check(!type || std::set<std::string>{"port", "process", "http", "none"}.count(
                       type.IsScalar() ? type.Scalar() : ""),
          "health-check-type must be \"port\", \"process\", or \"http\"");
    text(n, "health-check-http-endpoint");
    text(n, "command");
  }

  void app(YAML::Node& n) {
    check(!get(n, "docker"), "docker images are not supported; push the app's files");
    process(n);
    text(n, "buildpack");
    text(n, "stack");
    list(n, "buildpacks", true, nullptr, "buildpack names");
    list(n, "routes", false, "route", "entries like {route: host.domain/path}");
    list(n, "services", true, "name", "service instance names");
    list(n, "processes", false, "type", "entries with a type");
    for (const char* key : {"no-route", "random-route", "default-route"}) {
      bool b = false;
      auto v = get(n, key);
      bool ok = !v || (v.IsScalar() && YAML::convert<bool>::decode(v, b));
      check(ok, std::string(key) + " must be true or false");
      if (v && ok) n[key] = b;  // the Cloud Controller reads only "true" and "false"
    }
    auto env = get(n, "env");
    bool ok = !env || env.IsNull() || env.IsMap();
    for (auto it = env.begin(); ok && env.IsMap() && it != env.end(); ++it) {
      ok = it->first.IsScalar() && !it->second.IsMap() && !it->second.IsSequence();
    }
    check(ok, "env must be a map of names to text, numbers or booleans");
    for (YAML::Node p : seq(n, "processes")) {
      if (!get(p, "type").IsScalar()) continue;
      Checker{label + ", process '" + get(p, "type").Scalar() + "'", problems}.process(p);
    }
  }
};

ManifestProcess read_process(const YAML::Node& n) {
  auto number = [&](const char* key) {
    auto t = text_at(n, key);
    return t ? whole(*t) : std::nullopt;
  };
  return ManifestProcess{
      text_at(n, "type").value_or("web"),
      number("instances"),
      text_at(n, "memory"),
      text_at(n, "disk-quota") ? text_at(n, "disk-quota") : text_at(n, "disk_quota"),
      text_at(n, "command"),
      text_at(n, "health-check-type"),
      text_at(n, "health-check-http-endpoint"),
      number("timeout")};
}

// Text entries of a list, and the `key_in_map` text of its map entries.
std::vector<std::string> scalars(const YAML::Node& map, const char* key, const char* key_in_map) {
  std::vector<std::string> out;
  for (const auto& e : seq(map, key)) {
    if (e.IsScalar()) out.push_back(e.Scalar());
    if (get(e, key_in_map).IsScalar()) out.push_back(get(e, key_in_map).Scalar());
  }
  return out;
}

}  // namespace

Status add_var(ManifestVars& vars, std::string_view assignment) {
  std::string given(assignment);
  auto eq = given.find('=');
  if (eq == std::string::npos) {
    return usage("Expected var '" + given + "' to be in format 'name=value'");
  }
  if (eq == 0) return usage("Expected var '" + given + "' to specify non-empty name");
  if (eq + 1 == given.size()) {
    return usage("Expected var '" + given + "' to specify non-empty value");
  }
  YAML::Node value(given.substr(eq + 1));
  try {
    auto parsed = YAML::Load(given.substr(eq + 1));
    if (!parsed.IsScalar()) value.reset(parsed);  // a list, map or null
  } catch (const YAML::Exception&) {
    // Not YAML: the text itself is the value.
  }
  vars.erase(given.substr(0, eq));
  vars.emplace(given.substr(0, eq), value);
  return {};
}

Status add_vars_file(ManifestVars& vars, std::string_view yaml, std::string_view shown) {
  const std::string prefix =
      "The option --vars-file expects a valid YAML file. " + std::string(shown);
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return fail(prefix + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  bool ok = doc.IsMap() || doc.IsNull();
  for (auto it = doc.begin(); ok && doc.IsMap() && it != doc.end(); ++it) {
    ok = it->first.IsScalar();
  }
  if (!ok) return fail(prefix + " must be a map of names to values");
  for (auto it = doc.begin(); doc.IsMap() && it != doc.end(); ++it) {
    vars.erase(it->first.Scalar());
    vars.emplace(it->first.Scalar(), it->second);
  }
  return {};
}

ManifestProcess ManifestApp::web() const {
  auto p = read_process(fields);
  p.type = "web";
  return p;
}

std::optional<std::vector<std::string>> ManifestApp::buildpacks() const {
  if (get(fields, "buildpacks")) return scalars(fields, "buildpacks", "");
  auto b = text_at(fields, "buildpack");
  if (!b) return std::nullopt;
  if (b->empty() || *b == "default" || *b == "null") return std::vector<std::string>{};
  return std::vector<std::string>{*b};
}

std::optional<std::string> ManifestApp::stack() const { return text_at(fields, "stack"); }
std::vector<std::string> ManifestApp::routes() const { return scalars(fields, "routes", "route"); }
bool ManifestApp::no_route() const { return is_true(get(fields, "no-route")); }
bool ManifestApp::random_route() const { return is_true(get(fields, "random-route")); }
bool ManifestApp::default_route() const { return is_true(get(fields, "default-route")); }
std::vector<std::string> ManifestApp::services() const {
  return scalars(fields, "services", "name");
}

std::vector<ManifestProcess> ManifestApp::processes() const {
  std::vector<ManifestProcess> out;
  for (const auto& p : seq(fields, "processes")) {
    if (get(p, "type").IsScalar()) out.push_back(read_process(p));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ManifestApp::env() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto env = get(fields, "env");
  for (auto it = env.begin(); env.IsMap() && it != env.end(); ++it) {
    if (it->first.IsScalar() && (it->second.IsScalar() || it->second.IsNull())) {
      out.emplace_back(it->first.Scalar(), it->second.IsScalar() ? it->second.Scalar() : "");
    }
  }
  return out;
}

Result<Manifest> parse_manifest(std::string_view yaml, const fs::path& file,
                                const ManifestVars& vars) {
  const std::string shown = file.string();
  const std::string not_yaml =
      "Unable to push app because manifest " + shown + " is not valid yaml";
  if (yaml.size() > kMaxManifestBytes) {
    return fail("The manifest " + shown + " is larger than 1 MiB (" + std::to_string(yaml.size()) +
                    " bytes)",
                Errc::LimitExceeded);
  }
  YAML::Node doc;
  Interpolator interpolator{vars};
  try {
    doc = interpolator.copy(YAML::Load(std::string(yaml)), true);
  } catch (const YAML::Exception& e) {
    return fail(not_yaml + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (interpolator.failure && interpolator.failure->empty()) {
    return fail("The manifest " + shown + " is too large: it expands to more than " +
                    std::to_string(kMaxManifestValues) + " values or " +
                    std::to_string(Interpolator::kMaxDepth) + " levels of nesting",
                Errc::LimitExceeded);
  }
  if (interpolator.failure) return fail(*interpolator.failure);
  if (!interpolator.missing.empty()) {
    std::string names;
    for (const auto& n : interpolator.missing) names += (names.empty() ? "" : ", ") + n;
    return fail("Expected to find variables: " + names);
  }
  if (get(doc, "inherit")) {
    return fail("The manifest " + shown +
                " uses 'inherit': app manifest inheritance is no longer supported. Copy the "
                "shared settings into each application instead.");
  }
  auto list = get(doc, "applications");
  if ((!doc.IsMap() && !doc.IsNull()) || (list && !list.IsNull() && !list.IsSequence())) {
    return fail(not_yaml + ".");
  }
  if (!list.IsSequence() || list.size() == 0) {
    return fail("Manifest must have at least one application.");
  }
  Manifest manifest;
  manifest.file = file;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < list.size(); ++i) {
    YAML::Node node = list[i];
    if (!node.IsMap()) return fail(not_yaml + ".");
    ManifestApp& app = manifest.applications.emplace_back();
    Checker check{"For application #" + std::to_string(i + 1), problems};
    if (auto name = get(node, "name"); name.IsScalar()) {
      app.name = name.Scalar();
      check.label = "For application '" + app.name + "'";
    }
    check.text(node, "name");
    check.text(node, "path");
    if (auto path = text_at(node, "path"); path && !path->empty()) {
      app.path = (file.parent_path() / *path).lexically_normal();
    }
    node.remove("name");
    node.remove("path");
    check.app(node);
    app.fields.reset(node);
  }
  if (problems.empty()) return manifest;
  std::string joined;
  for (const auto& p : problems) joined += (joined.empty() ? "" : "\n") + p;
  return fail(joined);
}

Result<std::optional<fs::path>> locate_manifest(const fs::path& where) {
  std::error_code ec;
  if (!fs::exists(where, ec)) return std::optional<fs::path>();
  auto resolved = fs::canonical(where, ec);
  if (ec) return fail("Cannot read " + where.string() + ": " + ec.message(), Errc::NotFound);
  if (!fs::is_directory(resolved, ec)) return std::optional<fs::path>(resolved);
  for (const char* name : {"manifest.yml", "manifest.yaml"}) {
    if (fs::exists(resolved / name, ec)) return std::optional<fs::path>(resolved / name);
  }
  return std::optional<fs::path>();
}

Result<Manifest> read_manifest(const fs::path& file, const ManifestVars& vars) {
  auto text = read_limited(file, "manifest");
  if (!text) return std::move(text).error();
  return parse_manifest(*text, file, vars);
}

}  // namespace cupola::cli
