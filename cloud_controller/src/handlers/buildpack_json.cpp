#include "cloud_controller/src/handlers/buildpack_json.h"

#include <algorithm>
#include <cctype>

namespace cupola::cc {

namespace {

constexpr std::size_t kMaxNameLength = 250;

// Cloud Foundry's buildpack names: letters, digits, '_' and '-'.
bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// A create or update body, checked as Cloud Foundry's messages check it: every problem, in its
// words, joined with ", ".
struct BodyCheck {
  const json::Value& body;
  bool create;
  std::vector<std::string> problems;

  const json::Value* member(const char* key) const {
    auto it = body.FindMember(key);
    return it == body.MemberEnd() ? nullptr : &it->value;
  }
  void unknown_fields(std::initializer_list<std::string_view> allowed) {
    std::string names;
    for (const auto& m : body.GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      names += (names.empty() ? "'" : ", '") + std::string(name) + "'";
    }
    if (!names.empty()) problems.push_back("Unknown field(s): " + names);
  }
  std::optional<std::string> name() {
    const json::Value* v = member("name");
    if (!v || v->IsNull()) {
      if (create)
        problems.insert(problems.end(),
                        {"Name must be a string", "Name can't be blank", "Name is invalid"});
      return std::nullopt;
    }
    if (!v->IsString()) {
      problems.emplace_back("Name must be a string");
      return std::nullopt;
    }
    std::string s(v->GetString(), v->GetStringLength());
    bool blank = std::all_of(s.begin(), s.end(), [](char c) {
      return std::isspace(static_cast<unsigned char>(c)) != 0;
    });
    if (blank) problems.emplace_back("Name can't be blank");
    if (s.size() > kMaxNameLength) {
      problems.emplace_back("Name is too long (maximum is 250 characters)");
    }
    if (!valid_name(s)) problems.emplace_back("Name is invalid");
    return s;
  }
  // Unset: not asked for; set to none: no stack.
  std::optional<std::optional<std::string>> stack() {
    const json::Value* v = member("stack");
    if (!v) return std::nullopt;
    if (v->IsNull()) return std::optional<std::string>();
    if (!v->IsString()) {
      problems.emplace_back("Stack must be a string");
      return std::nullopt;
    }
    std::string s(v->GetString(), v->GetStringLength());
    if (s.size() > kMaxNameLength) {
      problems.emplace_back("Stack is too long (maximum is 250 characters)");
    } else if (s.empty()) {
      problems.emplace_back("Stack '' does not exist");
    }
    return std::optional<std::string>(s);
  }
  std::optional<std::int64_t> position() {
    const json::Value* v = member("position");
    if (!v || (v->IsNull() && create)) return std::nullopt;
    if (v->IsInt64()) {
      if (v->GetInt64() >= 1) return v->GetInt64();
      problems.emplace_back("Position must be greater than or equal to 1");
    } else if (v->IsNumber()) {
      problems.emplace_back("Position must be an integer");
    } else {
      problems.emplace_back("Position is not a number");
    }
    return std::nullopt;
  }
  std::optional<bool> flag(const char* key, const char* shown) {
    const json::Value* v = member(key);
    if (!v || (v->IsNull() && create)) return std::nullopt;
    if (v->IsBool()) return v->GetBool();
    problems.push_back(std::string(shown) + " must be a boolean");
    return std::nullopt;
  }
  std::optional<std::string> lifecycle() {
    const json::Value* v = member("lifecycle");
    if (!v || v->IsNull()) return std::nullopt;
    std::string s = v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : "";
    if (!v->IsString()) problems.emplace_back("Lifecycle must be a string");
    if (s != "buildpack" && s != "cnb") {
      problems.emplace_back("Lifecycle must be either \"buildpack\" or \"cnb\"");
    }
    return s;
  }
  std::optional<CcError> verdict() const {
    if (problems.empty()) return std::nullopt;
    std::string out;
    for (const auto& p : problems) out += (out.empty() ? "" : ", ") + p;
    return unprocessable(out);
  }
};

}  // namespace

void write_buildpack(json::Writer& w, const Urls& urls, const Buildpack& b) {
  std::string self = urls.api + "/v3/buildpacks/" + b.guid;
  w.start_object();
  w.field("guid", b.guid).field("created_at", b.created_at).field("updated_at", b.updated_at);
  w.field("name", b.name).key("stack");
  if (b.stack) {
    w.value(*b.stack);
  } else {
    w.value(nullptr);
  }
  w.field("state", b.state()).field("lifecycle", b.lifecycle).key("filename");
  if (b.filename) {
    w.value(*b.filename);
  } else {
    w.value(nullptr);
  }
  w.field("position", b.position).field("enabled", b.enabled).field("locked", b.locked);
  write_metadata(w);
  w.key("links").start_object();
  w.key("self").start_object().field("href", self).end_object();
  w.key("upload").start_object().field("href", self + "/upload").field("method", "POST");
  w.end_object().end_object();
  w.end_object();
}

std::variant<BuildpackCreateRequest, CcError> read_buildpack_create(const json::Value& body) {
  BodyCheck check{body, true, {}};
  check.unknown_fields({"name", "stack", "position", "enabled", "locked", "lifecycle", "metadata"});
  BuildpackCreateRequest r;
  r.buildpack.name = check.name().value_or("");
  r.buildpack.stack = check.stack().value_or(std::nullopt);
  r.position = check.position();
  r.buildpack.enabled = check.flag("enabled", "Enabled").value_or(true);
  r.buildpack.locked = check.flag("locked", "Locked").value_or(false);
  r.buildpack.lifecycle = check.lifecycle().value_or("buildpack");
  if (auto e = check.verdict()) return *e;
  return r;
}

std::variant<BuildpackChange, CcError> read_buildpack_update(const json::Value& body) {
  BodyCheck check{body, false, {}};
  check.unknown_fields({"name", "stack", "position", "enabled", "locked", "metadata"});
  BuildpackChange c;
  if (const json::Value* n = check.member("name"); n && n->IsNull()) {
    check.problems.emplace_back("name can only contain alphanumeric characters");
  }
  c.name = check.name();
  c.stack = check.stack();
  c.position = check.position();
  c.enabled = check.flag("enabled", "Enabled");
  c.locked = check.flag("locked", "Locked");
  if (auto e = check.verdict()) return *e;
  return c;
}

std::string buildpack_upload_problems(const std::optional<bits::Part>& part,
                                      const std::string& lifecycle) {
  if (!part || !part->filename) return "A buildpack zip file must be uploaded as 'bits'";
  std::string_view data = part->data;
  const std::string& name = *part->filename;
  std::vector<std::string> problems;
  if (lifecycle == "cnb") {
    bool gzip = data.starts_with("\x1f\x8b\x08");
    bool tar = data.size() >= 265 && data.substr(257, 8) == std::string_view(
                                                                "ustar\0"
                                                                "00",
                                                                8);
    if (!gzip && !tar) {
      problems.push_back(name +
                         " is not a gzip archive or cnb file. Buildpacks of lifecycle "
                         "\"cnb\" must be valid gzip archives or cnb files.");
    }
  } else if (!data.starts_with("PK\x03\x04")) {
    problems.push_back(name + " is not a zip file. Buildpacks of lifecycle \"" + lifecycle +
                       "\" must be valid zip files.");
  }
  if (data.empty()) problems.push_back(name + " cannot be empty");
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace cupola::cc
