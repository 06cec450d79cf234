#include "diego/lifecycle/healthcheck/options.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <optional>
#include <vector>

#include "diego/lifecycle/duration.h"
#include "diego/lifecycle/errors.h"

namespace cupola::lifecycle {
namespace {

enum class Flag {
  Host,
  Port,
  Uri,
  Timeout,
  UntilReadyInterval,
  StartupInterval,
  StartupTimeout,
  LivenessInterval,
  ReadinessInterval,
};

struct FlagSpec {
  std::string_view name;
  Flag flag;
};

constexpr FlagSpec kFlags[] = {
    {"host", Flag::Host},
    {"port", Flag::Port},
    {"uri", Flag::Uri},
    {"timeout", Flag::Timeout},
    {"until-ready-interval", Flag::UntilReadyInterval},
    {"startup-interval", Flag::StartupInterval},
    {"startup-timeout", Flag::StartupTimeout},
    {"liveness-interval", Flag::LivenessInterval},
    {"readiness-interval", Flag::ReadinessInterval},
};

std::optional<Flag> find_flag(std::string_view name) {
  for (const auto& f : kFlags) {
    if (f.name == name) return f.flag;
  }
  return std::nullopt;
}

Error bad_value(std::string_view written, std::string_view value, std::string_view why) {
  return invalid_argument("invalid value \"" + std::string(value) + "\" for flag " +
                          std::string(written) + ": " + std::string(why));
}

bool valid_ip(const std::string& host) {
  in6_addr buf{};
  return ::inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

// A path for the request line: it starts with '/' and holds no spaces or control bytes.
bool valid_uri(std::string_view uri) {
  if (uri.empty() || uri.front() != '/') return false;
  for (unsigned char c : uri) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<HealthcheckArgs> parse_healthcheck_args(const std::vector<std::string_view>& args) {
  HealthcheckArgs out;
  HealthcheckOptions& o = out.options;
  bool port_set = false;
  // The mode flags given, each once with its last value.
  struct ModeFlag {
    Flag flag;
    CheckMode mode;
    std::chrono::nanoseconds interval;
    std::string written;
  };
  std::vector<ModeFlag> mode_flags;

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size()) {
        return invalid_argument("unexpected argument \"" + std::string(args[i + 1]) + "\"");
      }
      break;
    }
    if (arg.size() < 2 || arg.front() != '-') {
      return invalid_argument("unexpected argument \"" + std::string(arg) + "\"");
    }
    std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string_view name = body;
    std::optional<std::string_view> value;
    if (auto eq = body.find('='); eq != std::string_view::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    // The flag as written, with its dashes, for messages.
    const std::string written =
        std::string(arg.substr(0, arg.size() - body.size())) + std::string(name);
    if (name == "h" || name == "help") {
      out.help = true;
      return out;
    }
    auto flag = find_flag(name);
    if (!flag) return invalid_argument("flag provided but not defined: " + written);
    if (!value) {
      if (i + 1 >= args.size()) return invalid_argument("flag needs an argument: " + written);
      value = args[++i];
    }
    const std::string v(*value);

    auto duration = [&](std::chrono::nanoseconds& into) -> Status {
      auto d = parse_go_duration(v);
      if (!d) return bad_value(written, v, d.error().message);
      into = *d;
      return {};
    };
    auto interval = [&](CheckMode mode) -> Status {
      std::chrono::nanoseconds d{0};
      if (auto st = duration(d); !st) return st;
      std::erase_if(mode_flags, [&](const ModeFlag& m) { return m.flag == *flag; });
      mode_flags.push_back({*flag, mode, d, written});
      return {};
    };

    Status st;
    switch (*flag) {
      case Flag::Host:
        if (!valid_ip(v)) return bad_value(written, v, "not a numeric IPv4 or IPv6 address");
        o.host = v;
        break;
      case Flag::Port: {
        unsigned port = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
        if (ec != std::errc() || end != v.data() + v.size() || port < 1 || port > 65535) {
          return bad_value(written, v, "not a port number (1-65535)");
        }
        o.port = static_cast<std::uint16_t>(port);
        port_set = true;
        break;
      }
      case Flag::Uri:
        if (!valid_uri(v)) {
          return bad_value(written, v, "must be a path starting with '/', without spaces");
        }
        o.uri = v;
        break;
      case Flag::Timeout:
        st = duration(o.timeout);
        if (st && o.timeout.count() <= 0) return bad_value(written, v, "must be greater than 0");
        break;
      case Flag::UntilReadyInterval:
      case Flag::StartupInterval:
        st = interval(CheckMode::UntilReady);
        break;
      case Flag::StartupTimeout:
        st = duration(o.startup_timeout);
        break;
      case Flag::LivenessInterval:
        st = interval(CheckMode::Liveness);
        break;
      case Flag::ReadinessInterval:
        st = interval(CheckMode::Readiness);
        break;
    }
    if (!st) return std::move(st).error();
  }

  if (!port_set) return invalid_argument("missing required flag --port");
  // A zero interval leaves its mode off, as in Diego.
  std::erase_if(mode_flags, [](const ModeFlag& m) { return m.interval.count() == 0; });
  if (mode_flags.size() > 1) {
    return invalid_argument("flags " + mode_flags[0].written + " and " + mode_flags[1].written +
                            " cannot be used together: choose one mode");
  }
  if (!mode_flags.empty()) {
    o.mode = mode_flags.front().mode;
    o.interval = mode_flags.front().interval;
  }
  return out;
}

std::string healthcheck_synopsis(std::string_view program) {
  return "Usage: " + std::string(program) +
         " --port PORT [--uri PATH] [--host IP] [--timeout DURATION] [MODE]";
}

std::string healthcheck_usage(std::string_view program) {
  return healthcheck_synopsis(program) +
         "\n"
         "Checks that an app listens on PORT (a TCP connect), or with --uri that it answers\n"
         "HTTP GET PATH with 200. Exits 0 when healthy, 1 when not, 2 on bad usage.\n"
         "\n"
         "  --port PORT                    port to check (required)\n"
         "  --uri PATH                     HTTP path to GET; without it, a TCP check\n"
         "  --host IP                      numeric address to check (default 127.0.0.1)\n"
         "  --timeout DURATION             limit of each check (default 1s)\n"
         "\n"
         "MODE, at most one (default: check once):\n"
         "  --until-ready-interval DURATION\n"
         "                                 check every DURATION until healthy, giving up\n"
         "                                 after --startup-timeout (default 60s; 0: never)\n"
         "  --startup-interval DURATION    the same\n"
         "  --liveness-interval DURATION   check every DURATION until a check fails\n"
         "  --readiness-interval DURATION  the same, reported as a readiness failure\n"
         "\n"
         "Durations as in Go: 500ms, 1s, 1m30s. Flags may also be written -flag value or\n"
         "-flag=value.\n";
}

}  // namespace cupola::lifecycle
