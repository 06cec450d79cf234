#include "diego/lifecycle/launcher/staging_info.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "diego/lifecycle/errors.h"

namespace cupola::lifecycle {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<StagingInfo> parse_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return invalid_argument("invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) +
                            ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return invalid_argument("expected an object");
  StagingInfo info;
  for (auto [key, field] : {std::pair{"detected_buildpack", &info.detected_buildpack},
                            std::pair{"start_command", &info.start_command}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || it->value.IsNull()) continue;
    if (!it->value.IsString()) return invalid_argument(std::string(key) + ": expected a string");
    field->assign(it->value.GetString(), it->value.GetStringLength());
  }
  return info;
}

// A YAML scalar on one line: plain (up to a " #" comment), 'single' ('' is a quote) or
// "double" (with backslash escapes).
Result<std::string> yaml_scalar(std::string_view key, std::string_view v) {
  auto bad = [&](std::string why) { return invalid_argument(std::string(key) + ": " + why); };
  if (v.empty()) return std::string();
  if (v.front() == '|' || v.front() == '>') return bad("block scalars are not supported");
  if (v.front() == '\'') {
    std::string out;
    for (std::size_t i = 1; i < v.size(); ++i) {
      if (v[i] != '\'') {
        out += v[i];
      } else if (i + 1 < v.size() && v[i + 1] == '\'') {
        out += '\'';
        ++i;
      } else {
        if (!trim(v.substr(i + 1)).empty() && trim(v.substr(i + 1)).front() != '#') {
          return bad("unexpected text after the quoted value");
        }
        return out;
      }
    }
    return bad("unterminated quoted value");
  }
  if (v.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i < v.size(); ++i) {
      char c = v[i];
      if (c == '"') {
        if (!trim(v.substr(i + 1)).empty() && trim(v.substr(i + 1)).front() != '#') {
          return bad("unexpected text after the quoted value");
        }
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i >= v.size()) break;
      switch (v[i]) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case '\\':
        case '"':
        case '/':
          out += v[i];
          break;
        default:
          return bad(std::string("unsupported escape \\") + v[i]);
      }
    }
    return bad("unterminated quoted value");
  }
  if (auto hash = v.find(" #"); hash != std::string_view::npos) v = trim(v.substr(0, hash));
  return std::string(v);
}

Result<StagingInfo> parse_yaml(std::string_view text) {
  StagingInfo info;
  while (!text.empty()) {
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    // Indented lines belong to a nested value of a key this reader ignores.
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    line = trim(line);
    if (line.empty() || line.front() == '#' || line == "---") continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      return invalid_argument("expected `key: value`, got \"" + std::string(line) + "\"");
    }
    std::string_view key = trim(line.substr(0, colon));
    std::string* field = key == "start_command"        ? &info.start_command
                         : key == "detected_buildpack" ? &info.detected_buildpack
                                                       : nullptr;
    if (!field) continue;
    auto value = yaml_scalar(key, trim(line.substr(colon + 1)));
    if (!value) return std::move(value).error();
    *field = std::move(*value);
  }
  return info;
}

}  // namespace

Result<StagingInfo> parse_staging_info(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return parse_json(text);
  return parse_yaml(text);
}

}  // namespace cupola::lifecycle
