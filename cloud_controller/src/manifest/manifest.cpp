#include "cloud_controller/src/manifest/manifest.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>

namespace cupola::cc {

namespace {

// Walks the document counting nodes, so that aliases cannot make a small text cost a lot.
struct Budget {
  std::size_t left;
  bool spent = false;
  bool take() {
    if (left == 0) {
      spent = true;
      return false;
    }
    --left;
    return true;
  }
};

struct Reader {
  std::string app;  // for messages
  std::vector<std::string>& problems;
  Budget& budget;

  void problem(const std::string& what) {
    problems.push_back("For application '" + app + "': " + what);
  }

  std::optional<std::string> scalar(const YAML::Node& n, const char* shown) {
    if (!budget.take()) return std::nullopt;
    if (n.IsNull()) return std::string();
    if (!n.IsScalar()) {
      problem(std::string(shown) + " must be a string");
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<std::int64_t> whole(const YAML::Node& n, const char* shown, std::int64_t min) {
    auto text = scalar(n, shown);
    if (!text) return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size()) {
      problem(std::string(shown) + " must be an integer");
      return std::nullopt;
    }
    if (v < min) {
      problem(std::string(shown) + " must be greater than or equal to " + std::to_string(min));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::int64_t> size(const YAML::Node& n, const char* shown) {
    auto text = scalar(n, shown);
    if (!text) return std::nullopt;
    auto mb = parse_megabytes(*text);
    if (!mb) {
      problem(std::string(shown) + " must use a supported unit: B, K, KB, M, MB, G, GB, T, or TB");
    }
    return mb;
  }

  // The keys a process takes, at app level (web) or in `processes:`.
  void process(const YAML::Node& n, ProcessManifest& p) {
    if (auto v = n["instances"]) p.instances = whole(v, "Instances", 0);
    if (auto v = n["memory"]) p.memory_mb = size(v, "Memory");
    for (const char* key : {"disk_quota", "disk-quota"}) {
      if (auto v = n[key]) p.disk_mb = size(v, "Disk quota");
    }
    if (auto v = n["command"]) {
      auto c = scalar(v, "Command");
      if (c) p.command = *c;
    }
    if (auto v = n["health-check-type"]) {
      auto t = scalar(v, "Health check type");
      if (t && *t != "port" && *t != "process" && *t != "http" && *t != "none") {
        problem("Health check type must be \"port\", \"process\", or \"http\"");
      } else if (t) {
        p.health_check_type = *t == "none" ? "process" : *t;
      }
    }
    if (auto v = n["health-check-http-endpoint"]) {
      auto e = scalar(v, "Health check http endpoint");
      if (e && (e->empty() || e->front() != '/')) {
        problem("Health check http endpoint must be a valid URI path");
      } else if (e) {
        p.health_check_endpoint = *e;
      }
    }
    if (auto v = n["timeout"]) p.timeout = whole(v, "Timeout", 1);
    if (auto v = n["log-rate-limit-per-second"]) {
      auto text = scalar(v, "Log rate limit per second");
      if (text) {
        p.log_rate_limit = parse_log_rate(*text);
        if (!p.log_rate_limit) {
          problem(
              "Log rate limit per second must use a supported unit: B, K, KB, M, MB, G, GB, T, "
              "or TB");
        }
      }
    }
    if (auto v = n["health-check-invocation-timeout"]) {
      p.invocation_timeout = whole(v, "Health check invocation timeout", 1);
    }
    if (p.health_check_endpoint && p.health_check_type.value_or("http") != "http") {
      problem("Health check type must be \"http\" to set a health check HTTP endpoint");
    }
  }

  std::vector<std::string> list(const YAML::Node& n, const char* shown) {
    std::vector<std::string> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) {
      problem(std::string(shown) + " must be a list of strings");
      return out;
    }
    for (const auto& item : n) {
      auto s = scalar(item, shown);
      if (s) out.push_back(*s);
    }
    return out;
  }

  bool flag(const YAML::Node& n, const char* shown) {
    auto s = scalar(n, shown);
    if (!s) return false;
    if (*s == "true") return true;
    if (*s != "false") problem(std::string(shown) + " must be a boolean");
    return false;
  }

  void application(const YAML::Node& n, AppManifest& a) {
    process(n, a.web);
    if (auto v = n["buildpacks"]) a.buildpacks = list(v, "Buildpacks");
    if (auto v = n["buildpack"]) {
      auto b = scalar(v, "Buildpack");
      if (b) a.buildpacks = std::vector<std::string>{*b};
    }
    if (a.buildpacks) {
      std::vector<std::string> kept;
      for (auto& b : *a.buildpacks) {
        if (!b.empty() && b != "default" && b != "null") kept.push_back(b);
      }
      a.buildpacks = kept;
    }
    if (auto v = n["stack"]) {
      auto s = scalar(v, "Stack");
      if (s) a.stack = *s;
    }
    if (auto v = n["env"]) {
      if (!v.IsMap()) {
        problem("Env must be an object of keys and values");
      } else {
        for (const auto& kv : v) {
          auto key = scalar(kv.first, "Env");
          auto value = scalar(kv.second, "Env");
          if (!key || !value) continue;
          if (key->empty()) {
            problem("Env key must be a non-empty string");
          } else if (key->rfind("VCAP_", 0) == 0) {
            problem("Env cannot start with VCAP_");
          } else if (*key == "PORT") {
            problem("Env cannot set PORT");
          } else {
            a.env.emplace_back(*key, *value);
          }
        }
      }
    }
    if (auto v = n["routes"]) {
      std::vector<std::string> routes;
      if (!v.IsSequence()) {
        problem("Routes must be a list of route objects");
      } else {
        for (const auto& r : v) {
          if (!budget.take()) break;
          auto route = r.IsMap() ? r["route"] : YAML::Node();
          auto s = route ? scalar(route, "Route") : std::nullopt;
          if (!s || s->empty()) {
            problem("Routes must be a list of route objects with a route");
            continue;
          }
          routes.push_back(*s);
        }
      }
      a.routes = routes;
    }
    if (auto v = n["no-route"]) a.no_route = flag(v, "No-route");
    if (auto v = n["random-route"]) a.random_route = flag(v, "Random-route");
    if (auto v = n["default-route"]) a.default_route = flag(v, "Default-route");
    if (auto v = n["services"]) {
      if (!v.IsSequence()) {
        problem("Services must be a list of service instance names");
      } else {
        for (const auto& s : v) {
          auto name = s.IsMap() ? scalar(s["name"], "Service name") : scalar(s, "Service name");
          if (name && !name->empty()) a.services.push_back(*name);
        }
      }
    }
    if (auto v = n["processes"]) {
      if (!v.IsSequence()) {
        problem("Processes must be a list of process objects");
        return;
      }
      for (const auto& pn : v) {
        if (!budget.take()) break;
        ProcessManifest p;
        auto type = pn.IsMap() && pn["type"] ? scalar(pn["type"], "Type") : std::nullopt;
        if (!type || type->empty()) {
          problem("Processes must each have a type");
          continue;
        }
        p.type = *type;
        process(pn, p);
        a.processes.push_back(std::move(p));
      }
    }
  }
};

}  // namespace

std::optional<std::int64_t> parse_log_rate(std::string_view text) {
  if (text == "-1") return -1;
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  std::int64_t n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string unit(text.substr(digits));
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "B") return n;
  if (unit == "K" || unit == "KB") return n * 1024;
  if (unit == "M" || unit == "MB") return n * 1024 * 1024;
  if (unit == "G" || unit == "GB") return n * 1024 * 1024 * 1024;
  if (unit == "T" || unit == "TB") return n * 1024 * 1024 * 1024 * 1024;
  return std::nullopt;
}

std::optional<std::int64_t> parse_megabytes(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  std::int64_t n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string unit(text.substr(digits));
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::int64_t mb = 0;
  if (unit.empty() || unit == "M" || unit == "MB") {
    mb = n;
  } else if (unit == "G" || unit == "GB") {
    mb = n * 1024;
  } else if (unit == "T" || unit == "TB") {
    mb = n * 1024 * 1024;
  } else if (unit == "K" || unit == "KB") {
    if (n % 1024 != 0) return std::nullopt;
    mb = n / 1024;
  } else if (unit == "B") {
    if (n % (1024 * 1024) != 0) return std::nullopt;
    mb = n / (1024 * 1024);
  } else {
    return std::nullopt;
  }
  if (mb <= 0) return std::nullopt;
  return mb;
}

std::variant<std::vector<AppManifest>, ManifestProblem> parse_manifest(
    std::string_view yaml, const ManifestLimits& limits) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return ManifestProblem{true, "Request invalid due to parse error: invalid request body"};
  }
  std::vector<std::string> problems;
  std::vector<AppManifest> apps;
  Budget budget{limits.max_nodes};
  try {
    if (!doc.IsMap()) {
      return ManifestProblem{true, "Request invalid due to parse error: invalid request body"};
    }
    auto list = doc["applications"];
    if (!list) {
      return ManifestProblem{false, "Cannot parse manifest with no 'applications' field."};
    }
    if (!list.IsSequence() || list.size() == 0) {
      return ManifestProblem{false, "Applications must have at least 1 application"};
    }
    if (list.size() > limits.max_apps) {
      return ManifestProblem{false, "Applications must have at most " +
                                        std::to_string(limits.max_apps) + " applications"};
    }
    for (const auto& n : list) {
      AppManifest a;
      auto name = n.IsMap() && n["name"] && n["name"].IsScalar() ? n["name"].Scalar() : "";
      if (name.empty()) {
        problems.push_back("Name must not be empty");
        continue;
      }
      a.name = name;
      Reader r{name, problems, budget};
      r.application(n, a);
      if (budget.spent) break;
      apps.push_back(std::move(a));
    }
  } catch (const YAML::Exception& e) {
    return ManifestProblem{true, "Request invalid due to parse error: invalid request body"};
  }
  if (budget.spent) {
    return ManifestProblem{false, "The manifest is too large: it has more than " +
                                      std::to_string(limits.max_nodes) + " values"};
  }
  if (!problems.empty()) {
    std::string joined;
    for (const auto& p : problems) joined += (joined.empty() ? "" : ", ") + p;
    return ManifestProblem{false, joined};
  }
  return apps;
}

}  // namespace cupola::cc
