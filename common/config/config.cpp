#include "common/config/config.h"

#include "common/log/log.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace cupola::config {

Result<CommandLine> parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value_of = [&](std::string_view flag) -> Result<std::string> {
      if (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag &&
          arg[flag.size()] == '=') {
        return std::string(arg.substr(flag.size() + 1));
      }
      if (i + 1 >= argc) {
        return make_error(Errc::InvalidArgument, fmt::format("{} needs a value", flag));
      }
      return std::string(argv[++i]);
    };
    if (arg == "-h" || arg == "--help") {
      cl.help = true;
    } else if (arg == "--config" || arg.starts_with("--config=")) {
      auto v = value_of("--config");
      if (!v) return std::move(v).error();
      cl.config_path = *v;
    } else if (arg == "--set" || arg.starts_with("--set=")) {
      auto v = value_of("--set");
      if (!v) return std::move(v).error();
      cl.overrides.push_back(*v);
    } else {
      return make_error(Errc::InvalidArgument,
                        fmt::format("unknown argument \"{}\" (see --help)", arg));
    }
  }
  if (cl.config_path.empty() && !cl.help) {
    return make_error(Errc::InvalidArgument, "missing --config FILE (see --help)");
  }
  return cl;
}

std::string usage(std::string_view program) {
  return fmt::format(
      "Usage: {} --config FILE [--set PATH=VALUE ...]\n\n"
      "  --config FILE       JSON configuration file\n"
      "  --set PATH=VALUE    override one field, e.g. --set log_level=debug\n"
      "  -h, --help          show this help\n",
      program);
}

Result<json::Document> load_document(const CommandLine& cl, std::size_t max_bytes) {
  std::ifstream in(cl.config_path, std::ios::binary);
  if (!in) {
    return make_error(Errc::NotFound,
                      fmt::format("cannot open config file {}: check the path", cl.config_path));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto doc = json::parse(text, json::ParseLimits{.max_bytes = max_bytes, .max_depth = 32});
  if (!doc) {
    return make_error(doc.error().code,
                      fmt::format("config file {}: {}", cl.config_path, doc.error().message));
  }
  if (!doc->IsObject()) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("config file {}: expected a JSON object", cl.config_path));
  }
  for (const auto& o : cl.overrides) {
    if (auto s = apply_override(*doc, o); !s) return std::move(s).error();
  }
  return doc;
}

Status apply_override(json::Document& doc, std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("override \"{}\" must look like path=value", text));
  }
  std::string_view path = text.substr(0, eq);
  std::string_view raw = text.substr(eq + 1);
  auto& alloc = doc.GetAllocator();
  if (!doc.IsObject()) doc.SetObject();
  json::Value* node = &doc;
  while (true) {
    auto dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    if (part.empty()) {
      return make_error(Errc::InvalidArgument, fmt::format("override \"{}\": empty key", text));
    }
    json::Value key(part.data(), static_cast<rapidjson::SizeType>(part.size()), alloc);
    auto it = node->FindMember(key);
    if (dot == std::string_view::npos) {
      json::Value value;
      auto parsed = json::parse(raw);
      if (parsed) {
        value.CopyFrom(*parsed, alloc);
      } else {
        value.SetString(raw.data(), static_cast<rapidjson::SizeType>(raw.size()), alloc);
      }
      if (it != node->MemberEnd()) {
        it->value = std::move(value);
      } else {
        node->AddMember(key, value, alloc);
      }
      return {};
    }
    if (it == node->MemberEnd()) {
      node->AddMember(key, json::Value(rapidjson::kObjectType), alloc);
      it = node->FindMember(json::Value(
          rapidjson::StringRef(part.data(), static_cast<rapidjson::SizeType>(part.size()))));
    } else if (!it->value.IsObject()) {
      return make_error(Errc::InvalidArgument,
                        fmt::format("override \"{}\": {} is not an object", text, part));
    }
    node = &it->value;
    path.remove_prefix(dot + 1);
  }
}

Result<HostPort> parse_host_port(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("\"{}\" must be host:port, e.g. 127.0.0.1:8080", s));
  }
  HostPort hp;
  hp.host = std::string(s.substr(0, colon));
  if (hp.host.size() >= 2 && hp.host.front() == '[' && hp.host.back() == ']') {
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  std::string_view port = s.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || p != port.data() + port.size() || value > 65535 || port.empty()) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("\"{}\": port must be a number from 0 to 65535", s));
  }
  hp.port = static_cast<unsigned short>(value);
  if (hp.host.empty()) hp.host = "0.0.0.0";
  return hp;
}

void check_listen_address(std::vector<std::string>& problems, std::string_view field,
                          std::string_view value) {
  if (auto hp = parse_host_port(value); !hp) {
    problems.push_back(std::string(field) + ": " + hp.error().message);
  }
}

void check_log_level(std::vector<std::string>& problems, std::string_view value) {
  if (!log::parse_level(value)) {
    problems.push_back("log_level: must be debug, info, error or fatal");
  }
}

void check_http_url(std::vector<std::string>& problems, std::string_view field,
                    std::string_view value) {
  if (!value.starts_with("http://") && !value.starts_with("https://")) {
    problems.push_back(std::string(field) + ": must be an http:// or https:// URL");
  }
}

void check_nats_servers(std::vector<std::string>& problems,
                        const std::vector<std::string>& servers) {
  if (servers.empty()) problems.push_back("nats_servers: name at least one server");
}

}  // namespace cupola::config
