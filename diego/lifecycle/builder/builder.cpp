#include "diego/lifecycle/builder/builder.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cupola::lifecycle {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxCapture = 1 << 20;

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

// Runs `args` (args[0] the program), its stdout captured into `out` when given (else shared
// with ours), stderr always ours. The exit status, 128+signal, or -1 when it could not run.
int run(const std::vector<std::string>& args, std::string* out = nullptr) {
  int pipefd[2] = {-1, -1};
  if (out != nullptr && ::pipe(pipefd) != 0) return -1;
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (out != nullptr) {
      ::dup2(pipefd[1], STDOUT_FILENO);
      ::close(pipefd[0]);
      ::close(pipefd[1]);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0].c_str(), std::strerror(errno));
    ::_exit(127);
  }
  if (out != nullptr) {
    ::close(pipefd[1]);
    char buf[4096];
    while (true) {
      ssize_t n = ::read(pipefd[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (out->size() < kMaxCapture) out->append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipefd[0]);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// A buildpack directory: its own bin/ or, for zips with a top-level folder, that folder's.
fs::path buildpack_root(const fs::path& dir) {
  if (fs::exists(dir / "bin")) return dir;
  std::error_code ec;
  std::optional<fs::path> only;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_directory()) continue;
    if (only) return dir;
    only = e.path();
  }
  return only && fs::exists(*only / "bin") ? *only : dir;
}

struct Buildpack {
  std::string key;  // its name in the order
  fs::path root;
  std::string detect_output;
  std::string name() const {
    if (auto m = read_file(root / "manifest.yml")) {
      std::istringstream lines(*m);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("language:", 0) == 0) return unquote(trim(line.substr(9)));
      }
    }
    return key;
  }
  std::string version() const {
    auto v = read_file(root / "VERSION");
    return v ? trim(*v) : "";
  }
  bool has(const char* script) const { return fs::exists(root / "bin" / script); }
  std::string script(const char* name) const { return (root / "bin" / name).string(); }
};

void fail(const std::string& text) { std::fprintf(stderr, "%s\n", text.c_str()); }

std::string json_of(const std::map<std::string, std::string>& types, const Buildpack& last,
                    const std::vector<Buildpack>& used) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("process_types");
  w.StartObject();
  for (const auto& [k, v] : types) {
    w.Key(k.c_str());
    w.String(v.c_str());
  }
  w.EndObject();
  w.Key("lifecycle_type");
  w.String("buildpack");
  w.Key("lifecycle_metadata");
  w.StartObject();
  w.Key("buildpack_key");
  w.String(last.key.c_str());
  w.Key("detected_buildpack");
  std::string detected = last.detect_output.empty() ? last.name() : last.detect_output;
  w.String(detected.c_str());
  w.Key("buildpacks");
  w.StartArray();
  for (const auto& b : used) {
    w.StartObject();
    w.Key("key");
    w.String(b.key.c_str());
    w.Key("name");
    std::string name = b.name();
    w.String(name.c_str());
    w.Key("version");
    std::string version = b.version();
    w.String(version.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("execution_metadata");
  w.String("");
  w.EndObject();
  return buf.GetString();
}

}  // namespace

std::string parse_builder_options(const std::vector<std::string>& args, BuilderOptions& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a.rfind("--", 0) == 0) a.erase(0, 1);
    if (a.empty() || a[0] != '-') return "unexpected argument: " + args[i];
    a.erase(0, 1);
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    auto take = [&]() -> bool {
      if (has_value) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };
    std::string* target = nullptr;
    if (name == "buildDir") target = &out.build_dir;
    if (name == "outputDroplet") target = &out.output_droplet;
    if (name == "outputMetadata") target = &out.output_metadata;
    if (name == "buildArtifactsCacheDir") target = &out.cache_dir;
    if (name == "buildpacksDir") target = &out.buildpacks_dir;
    if (name == "outputBuildArtifactsCache") target = &out.output_cache;
    if (target != nullptr) {
      if (!take()) return "flag needs an argument: -" + name;
      *target = value;
    } else if (name == "buildpackOrder") {
      if (!take()) return "flag needs an argument: -" + name;
      out.buildpack_order.clear();
      std::istringstream list(value);
      for (std::string item; std::getline(list, item, ',');) {
        if (!item.empty()) out.buildpack_order.push_back(item);
      }
    } else if (name == "skipDetect") {
      if (!has_value) value = "true";
      if (value != "true" && value != "false") {
        return "invalid value \"" + value + "\" for flag -skipDetect";
      }
      out.skip_detect = value == "true";
    } else if (!has_value && i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) {
      ++i;  // an unknown flag's value
    }
  }
  return {};
}

Release parse_release(std::string_view yaml) {
  Release out;
  std::istringstream lines{std::string(yaml)};
  std::map<std::string, std::string>* section = nullptr;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#' || trim(line) == "---") continue;
    bool indented = line[0] == ' ' || line[0] == '\t';
    if (!indented) {
      section = line.rfind("default_process_types:", 0) == 0 ? &out.process_types
                : line.rfind("config_vars:", 0) == 0         ? &out.config_vars
                                                             : nullptr;
      continue;
    }
    if (section == nullptr) continue;
    std::string entry = trim(line);
    auto colon = entry.find(':');
    if (colon == std::string::npos) continue;
    (*section)[trim(entry.substr(0, colon))] = unquote(trim(entry.substr(colon + 1)));
  }
  return out;
}

std::string config_vars_script(const std::map<std::string, std::string>& vars) {
  auto is_name = [](const std::string& n) {
    if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
  };
  std::string out =
      "# config_vars from the buildpack's bin/release: defaults the app's env overrides\n";
  for (const auto& [name, value] : vars) {
    if (!is_name(name)) continue;
    std::string quoted = "'";
    for (char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    out += "[ -n \"${" + name + "+set}\" ] || export " + name + "=" + quoted + "\n";
  }
  return out;
}

std::map<std::string, std::string> parse_procfile(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::string entry = trim(line);
    if (entry.empty() || entry[0] == '#') continue;
    auto colon = entry.find(':');
    if (colon == std::string::npos) continue;
    std::string type = trim(entry.substr(0, colon));
    if (!type.empty()) out[type] = unquote(trim(entry.substr(colon + 1)));
  }
  return out;
}

int run_builder(const BuilderOptions& o) {
  std::error_code ec;
  const fs::path app = o.build_dir;
  const fs::path work = app.parent_path() / "droplet-contents";
  const fs::path deps = work / "deps";
  fs::remove_all(work, ec);
  fs::create_directories(deps, ec);
  if (ec) {
    fail("cannot make " + deps.string() + ": " + ec.message());
    return kBuilderFailed;
  }

  std::vector<Buildpack> candidates;
  for (const auto& name : o.buildpack_order) {
    fs::path dir = fs::path(o.buildpacks_dir) / name;
    if (!fs::is_directory(dir)) {
      fail("buildpack " + name + " was not downloaded to " + dir.string());
      return kBuilderFailed;
    }
    candidates.push_back({name, buildpack_root(dir), ""});
  }
  std::vector<Buildpack> used;
  if (o.skip_detect) {
    used = candidates;
  } else {
    for (auto& b : candidates) {
      std::string out;
      int status = run({b.script("detect"), app.string()}, &out);
      if (status == 0) {
        b.detect_output = trim(out.substr(0, out.find('\n')));
        used.push_back(b);
        break;
      }
    }
    if (used.empty()) {
      fail("None of the buildpacks detected a compatible application");
      return kDetectFailed;
    }
  }
  if (used.empty()) {
    fail("No buildpack was given");
    return kDetectFailed;
  }

  const fs::path profile = app / ".profile.d";
  fs::create_directories(profile, ec);
  for (std::size_t i = 0; i < used.size(); ++i) {
    const Buildpack& b = used[i];
    const bool last = i + 1 == used.size();
    std::string idx = std::to_string(i);
    fs::path cache = fs::path(o.cache_dir) / b.key;
    fs::create_directories(cache, ec);
    fs::create_directories(deps / idx, ec);
    if (!last || b.has("finalize")) {
      if (b.has("supply")) {
        int s = run({b.script("supply"), app.string(), cache.string(), deps.string(), idx});
        if (s != 0) {
          fail("Failed to run all supply scripts: " + b.key + " exited with status " +
               std::to_string(s));
          return kSupplyFailed;
        }
      } else if (!last) {
        fail(
            "Error: one of the buildpacks chosen to supply dependencies does not support "
            "multi-buildpack apps: " +
            b.key);
        return kSupplyFailed;
      }
    }
    if (!last) continue;
    int s = b.has("finalize") ? run({b.script("finalize"), app.string(), cache.string(),
                                     deps.string(), idx, profile.string()})
                              : run({b.script("compile"), app.string(), cache.string()});
    if (s != 0) {
      fail("Failed to compile droplet: " + b.key + " exited with status " + std::to_string(s));
      return kCompileFailed;
    }
  }

  const Buildpack& final_bp = used.back();
  std::map<std::string, std::string> types;
  if (final_bp.has("release")) {
    std::string out;
    int s = run({final_bp.script("release"), app.string()}, &out);
    if (s != 0) {
      fail("Failed to build droplet release: " + final_bp.key + " exited with status " +
           std::to_string(s));
      return kReleaseFailed;
    }
    Release release = parse_release(out);
    types = release.process_types;
    if (!release.config_vars.empty() &&
        !write_file(profile / "0000_config_vars.sh", config_vars_script(release.config_vars))) {
      fail("cannot write the release's config_vars into .profile.d");
      return kBuilderFailed;
    }
  }
  if (auto procfile = read_file(app / "Procfile")) {
    for (auto& [k, v] : parse_procfile(*procfile)) types[k] = v;
  }

  // The droplet: app/, deps/, tmp/, logs/ and staging_info.yml. The buildpacks' finalize
  // steps put what must be sourced at start in app/.profile.d, as Cloud Foundry's do.
  fs::rename(app, work / "app", ec);
  if (ec) {
    fail("cannot move the app into the droplet: " + ec.message());
    return kBuilderFailed;
  }
  fs::create_directories(work / "tmp", ec);
  fs::create_directories(work / "logs", ec);
  std::string start = types.count("web") ? types["web"] : "";
  rapidjson::StringBuffer info;
  rapidjson::Writer<rapidjson::StringBuffer> w(info);
  w.StartObject();
  w.Key("detected_buildpack");
  std::string detected = final_bp.detect_output.empty() ? final_bp.name() : final_bp.detect_output;
  w.String(detected.c_str());
  w.Key("start_command");
  w.String(start.c_str());
  w.EndObject();
  if (!write_file(work / "staging_info.yml", std::string(info.GetString()) + "\n") ||
      !write_file(o.output_metadata, json_of(types, final_bp, used) + "\n")) {
    fail("cannot write the staging result");
    return kBuilderFailed;
  }
  int tar = run({"/bin/tar", "-czf", o.output_droplet, "-C", work.string(), "."});
  if (tar != 0) {
    fail("cannot pack the droplet: tar exited with status " + std::to_string(tar));
    return kBuilderFailed;
  }
  // The cache the buildpacks filled, for the next staging of this app. Losing it only makes
  // that staging slower, so a failure here is reported and staging still succeeds.
  if (!o.output_cache.empty()) {
    int packed = run({"/bin/tar", "-czf", o.output_cache, "-C", o.cache_dir, "."});
    if (packed != 0)
      fail("warning: the build cache was not kept (tar exited " + std::to_string(packed) + ")");
  }
  std::printf("Staging complete: %s, web: %s\n", detected.c_str(),
              start.empty() ? "(none)" : start.c_str());
  return 0;
}

}  // namespace cupola::lifecycle
