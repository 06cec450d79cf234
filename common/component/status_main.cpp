// cupola-status: every process of a platform, on whichever machine it runs, as it announces
// itself on NATS (cupola.component.announce; asked for at once on cupola.component.discover),
// each with the answer of its health URL. `./dev status` shows it after the processes it
// started itself.
//
// Exit status: 0 when every process announced answered healthy; 1 when one did not, or none
// announced; 2 when NATS could not be reached or the arguments are wrong.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/json/json.h"
#include "common/log/log.h"
#include "common/nats/announcer.h"
#include "common/nats/client.h"

namespace {

using namespace cupola;
namespace asio = boost::asio;

constexpr std::string_view kUsage =
    "Usage: cupola-status [--wait MILLISECONDS] NATS_URL...\n"
    "  Lists the processes announced on NATS (nats://HOST:PORT) and their health.\n"
    "  --wait: how long to listen for announcements (default 1000, 100 to 30000)\n";

struct Seen {
  std::string name;
  std::string id;
  std::string host;
  std::string health_url;
  std::int64_t uptime_seconds = 0;
  bool healthy = false;
  std::string problem;
};

std::string string_member(const json::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? std::string(v[key].GetString()) : std::string();
}

// An announcement's fields; false when it is not one.
bool read_announcement(std::string_view data, Seen& out) {
  auto doc = json::parse(data);
  if (!doc || !doc->IsObject()) return false;
  out.name = string_member(*doc, "name");
  out.id = string_member(*doc, "id");
  out.host = string_member(*doc, "host");
  out.health_url = string_member(*doc, "health_url");
  if (doc->HasMember("uptime_seconds") && (*doc)["uptime_seconds"].IsInt64()) {
    out.uptime_seconds = (*doc)["uptime_seconds"].GetInt64();
  }
  return !out.name.empty() && !out.health_url.empty();
}

std::string uptime_text(std::int64_t s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60));
  }
  return buf;
}

struct Run {
  std::vector<std::string> servers;
  std::chrono::milliseconds wait{1000};
  int exit_code = 0;
};

asio::awaitable<void> survey(Run& run, nats::Client& nats, http::Client& http) {
  auto connected = co_await nats.connect();
  if (!connected) {
    std::fprintf(stderr, "cupola-status: NATS does not answer at %s: %s\n",
                 run.servers.front().c_str(), connected.error().message.c_str());
    run.exit_code = 2;
    co_return;
  }
  std::map<std::string, Seen> seen;  // by health URL: a process announces more than once
  auto sub = nats.subscribe(nats::kAnnounceSubject, [&seen](nats::Message m) {
    Seen s;
    if (read_announcement(m.data, s)) seen[s.health_url] = std::move(s);
  });
  if (!sub) {
    std::fprintf(stderr, "cupola-status: %s\n", sub.error().message.c_str());
    run.exit_code = 2;
    co_return;
  }
  std::chrono::milliseconds flush_timeout = std::chrono::seconds(5);
  auto flushed = co_await nats.flush(flush_timeout);
  if (flushed) {
    auto asked = nats.publish(nats::kDiscoverSubject, "");
    if (!asked) std::fprintf(stderr, "cupola-status: %s\n", asked.error().message.c_str());
  }
  asio::steady_timer timer(nats.executor());
  timer.expires_after(run.wait);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  sub->unsubscribe();

  std::vector<Seen> rows;
  for (auto& [url, s] : seen) rows.push_back(std::move(s));
  std::sort(rows.begin(), rows.end(), [](const Seen& a, const Seen& b) {
    return std::tie(a.name, a.id, a.host) < std::tie(b.name, b.id, b.host);
  });
  for (auto& r : rows) {
    std::string url = r.health_url;
    auto answer = co_await http.get(url);
    if (!answer) {
      r.problem = answer.error().message;
    } else if (answer->status != 200) {
      r.problem = "HTTP " + std::to_string(answer->status);
    } else {
      r.healthy = true;
    }
  }
  nats.close();

  std::printf("%-14s %-10s %-16s %-8s %-8s %s\n", "PROCESS", "ID", "HOST", "UPTIME", "HEALTH",
              "HEALTH URL");
  for (const auto& r : rows) {
    std::printf("%-14s %-10s %-16s %-8s %-8s %s%s%s\n", r.name.c_str(),
                r.id.empty() ? "-" : r.id.c_str(), r.host.c_str(),
                uptime_text(r.uptime_seconds).c_str(), r.healthy ? "healthy" : "down",
                r.health_url.c_str(), r.problem.empty() ? "" : "  ", r.problem.c_str());
    if (!r.healthy) run.exit_code = 1;
  }
  if (rows.empty()) {
    std::printf("(no process announced itself within %lld ms)\n",
                static_cast<long long>(run.wait.count()));
    run.exit_code = 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Run run;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage.data(), stdout);
      return 0;
    }
    if (a == "--wait" && i + 1 < argc) {
      std::string_view v = argv[++i];
      long long ms = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
      if (ec != std::errc() || end != v.data() + v.size() || ms < 100 || ms > 30000) {
        std::fprintf(stderr, "cupola-status: --wait takes milliseconds, 100 to 30000\n%s",
                     kUsage.data());
        return 2;
      }
      run.wait = std::chrono::milliseconds(ms);
    } else if (a.starts_with("nats://")) {
      run.servers.emplace_back(a);
    } else {
      std::fprintf(stderr, "cupola-status: unexpected argument '%s'\n%s", argv[i], kUsage.data());
      return 2;
    }
  }
  if (run.servers.empty()) {
    std::fprintf(stderr, "cupola-status: give the platform's NATS URL\n%s", kUsage.data());
    return 2;
  }

  asio::io_context io;
  SystemClock clock;
  log::Logger logger(std::make_shared<log::StderrSink>(), clock, "cupola-status",
                     log::Level::Fatal);
  nats::ClientOptions nopts;
  nopts.servers = run.servers;
  nopts.name = "cupola-status";
  nats::Client nats(io.get_executor(), nopts, logger);
  http::ClientOptions hopts;
  hopts.connect_timeout = std::chrono::seconds(2);
  hopts.request_timeout = std::chrono::seconds(2);
  http::Client http(io.get_executor(), hopts, logger);
  asio::co_spawn(io, survey(run, nats, http), asio::detached);
  io.run();
  return run.exit_code;
}
