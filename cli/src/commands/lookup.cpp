#include "cli/src/commands/lookup.h"

#include <iostream>

#include "cli/src/log_line.h"

namespace cupola::cli {
namespace {

Error not_found(const std::string& text) { return Error{make_error_code(Errc::NotFound), text}; }

}  // namespace

std::string str(const json::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

const json::Value* at(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* cur = &v;
  for (const char* key : path) {
    if (!cur->IsObject() || !cur->HasMember(key)) return nullptr;
    cur = &(*cur)[key];
  }
  return cur;
}

Result<Named> lookup_org(Session& s, const std::string& name) {
  auto orgs = s.cc().list("/v3/organizations?names=" + cc::api::url_encode(name));
  if (!orgs) return std::move(orgs).error();
  if (orgs->Empty()) return not_found("Organization '" + name + "' not found.");
  return Named{str((*orgs)[0], "guid"), str((*orgs)[0], "name")};
}

Result<Named> lookup_space(Session& s, const std::string& name) {
  auto spaces = s.cc().list("/v3/spaces?names=" + cc::api::url_encode(name) +
                            "&organization_guids=" + s.config.org_guid);
  if (!spaces) return std::move(spaces).error();
  if (spaces->Empty()) return not_found("Space '" + name + "' not found.");
  return Named{str((*spaces)[0], "guid"), str((*spaces)[0], "name")};
}

Result<json::Document> lookup_app(Session& s, const std::string& name) {
  auto apps = s.cc().list("/v3/apps?names=" + cc::api::url_encode(name) +
                          "&space_guids=" + s.config.space_guid);
  if (!apps) return std::move(apps).error();
  if (apps->Empty()) return not_found("App '" + name + "' not found.");
  json::Document app;
  app.CopyFrom((*apps)[0], app.GetAllocator());
  return app;
}

bool confirmed(Session& s, const Parsed& p, const std::string& question) {
  if (p.has("f")) return true;
  s.ui.flush();
  std::cout << question << " [yN]: " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes";
}

void say_log_line(Session& s, const LogEnvelope& e, int utc_offset_minutes) {
  std::string text = format_log_line(e, s.ui.color(), utc_offset_minutes);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  s.ui.say(text);
}

int usage_error(Session& s, const std::string& command, const std::string& text) {
  s.ui.warn(s.ui.red("Incorrect Usage: " + text));
  for (const auto& c : all_commands()) {
    if (c.spec.name == command) s.ui.say("\n" + help_text(c.spec));
  }
  return 1;
}

void say_json(Session& s, const json::Value& v) {
  json::Writer w;
  w.value(v);
  s.ui.say(w.str());
}

std::string in_target(Session& s) {
  return "in org " + s.ui.cyan(s.config.org_name) + " / space " + s.ui.cyan(s.config.space_name) +
         " as " + s.ui.cyan(s.user()) + "...";
}

}  // namespace cupola::cli
