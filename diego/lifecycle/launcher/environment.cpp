#include "diego/lifecycle/launcher/environment.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstdint>

#include "diego/lifecycle/launcher/database_url.h"

namespace cupola::lifecycle {
namespace {

// An integer as Go's strconv.Atoi reads it: an optional sign, then decimal digits only.
std::optional<std::int64_t> atoi(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

void set_member(rapidjson::Document& doc, const char* name, rapidjson::Value value) {
  auto it = doc.FindMember(name);
  if (it != doc.MemberEnd()) {
    it->value = std::move(value);
  } else {
    doc.AddMember(rapidjson::StringRef(name), std::move(value), doc.GetAllocator());
  }
}

}  // namespace

std::string clean_path(std::string_view path) {
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
        continue;
      }
      if (rooted) continue;  // "/.." is "/"
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

std::string absolute_path(std::string_view cwd, std::string_view path) {
  if (!path.empty() && path.front() == '/') return clean_path(path);
  return clean_path(std::string(cwd) + "/" + std::string(path));
}

std::optional<std::string> munge_vcap_application(std::string_view vcap_application,
                                                  const EnvLookup& env) {
  rapidjson::Document doc;
  doc.Parse(vcap_application.data(), vcap_application.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto& alloc = doc.GetAllocator();
  set_member(doc, "host", rapidjson::Value("0.0.0.0", alloc));
  std::string instance_id = env("INSTANCE_GUID").value_or("");
  set_member(doc, "instance_id",
             rapidjson::Value(instance_id.data(),
                              static_cast<rapidjson::SizeType>(instance_id.size()), alloc));
  if (auto port = atoi(env("PORT").value_or(""))) {
    set_member(doc, "port", rapidjson::Value(*port));
  }
  if (auto index = atoi(env("INSTANCE_INDEX").value_or(""))) {
    set_member(doc, "instance_index", rapidjson::Value(*index));
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  doc.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

std::vector<EnvSetting> launch_environment(std::string_view app_dir, const EnvLookup& env) {
  const std::string dir(app_dir);
  std::vector<EnvSetting> out = {
      {"HOME", dir},
      {"TMPDIR", clean_path(dir + "/../tmp")},
      {"DEPS_DIR", clean_path(dir + "/../deps")},
  };
  if (auto app = env("VCAP_APPLICATION")) {
    if (auto munged = munge_vcap_application(*app, env)) {
      out.push_back({"VCAP_APPLICATION", std::move(*munged)});
    }
  }
  if (auto services = env("VCAP_SERVICES"); services && !services->empty()) {
    if (auto url = database_url_from_services(*services)) {
      out.push_back({"DATABASE_URL", std::move(*url)});
    }
  }
  return out;
}

}  // namespace cupola::lifecycle
