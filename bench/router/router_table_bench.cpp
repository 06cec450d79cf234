// The router's route table: lookup cost at 1, 1,000 and 100,000 routes, registration
// throughput (decoding router.register JSON, applying it and publishing a snapshot every
// 10 ms) and the resident memory of a 100,000-route table. Prints BENCH lines; never fails on
// timing.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gorouter/route/registry.h"
#include "gorouter/route/registry_message.h"
#include "gorouter/route/table_slot.h"

namespace {

using namespace cupola;
using namespace cupola::router;
using Steady = std::chrono::steady_clock;

constexpr auto kPublishInterval = std::chrono::milliseconds(10);
const TimePoint kNow{std::chrono::seconds{1'700'000'000}};

std::string guid(std::uint64_t n, std::uint64_t salt) {
  std::uint64_t a = n * 0x9e3779b97f4a7c15ULL ^ salt;
  std::uint64_t b = (n + salt) * 0xbf58476d1ce4e5b9ULL;
  return fmt::format("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     a & 0xfff, b >> 52, b & 0xffffffffffffULL);
}

std::string host_of(std::size_t i) { return fmt::format("app-{:06d}.apps.example.com", i); }

// A registration as Cloud Foundry's route emitter sends it for one app instance, with the
// metric tags the Cloud Controller puts on every app.
RegistryMessage registration(std::size_t i) {
  RegistryMessage m;
  m.host = fmt::format("10.0.{}.{}", (i / 250) % 250, i % 250 + 1);
  m.port = static_cast<std::uint16_t>(61000 + i % 4000);
  m.uris = {host_of(i)};
  m.app = guid(i, 1);
  m.private_instance_id = guid(i, 2).substr(0, 28);
  m.private_instance_index = "0";
  m.server_cert_domain_san = m.private_instance_id;
  m.endpoint_updated_at_ns = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(i);
  m.availability_zone = "z1";
  m.tags = std::map<std::string, std::string>{
      {"component", "route-emitter"},
      {"app_id", m.app},
      {"app_name", fmt::format("app-{}", i)},
      {"instance_id", "0"},
      {"organization_id", guid(i / 100, 3)},
      {"organization_name", fmt::format("org-{}", i / 100)},
      {"process_id", m.app},
      {"process_instance_id", m.private_instance_id},
      {"process_type", "web"},
      {"source_id", m.app},
      {"space_id", guid(i / 10, 4)},
      {"space_name", fmt::format("space-{}", i / 10)},
  };
  return m;
}

double rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

struct Loader {
  Registry registry;
  TableSlot slot;
  Steady::time_point last_publish = Steady::now();
  std::size_t publishes = 0;
  std::size_t failures = 0;

  // Decodes, applies, and publishes when the interval has passed, as the NATS glue will.
  void handle(std::string_view payload) {
    auto m = decode_registry_message(payload);
    if (!m) {
      ++failures;
      return;
    }
    (void)registry.apply(MessageKind::Register, *m, kNow);
    auto now = Steady::now();
    if (now - last_publish >= kPublishInterval && registry.pending()) {
      slot.store(registry.publish());
      last_publish = now;
      ++publishes;
    }
  }
  void flush() {
    if (registry.pending()) {
      slot.store(registry.publish());
      ++publishes;
    }
  }
};

// Sends registrations for routes [0, n) in chunks; only handling them is timed.
double load(Loader& loader, std::size_t n) {
  constexpr std::size_t kChunk = 2000;
  std::vector<std::string> payloads;
  Steady::duration spent{};
  for (std::size_t start = 0; start < n; start += kChunk) {
    payloads.clear();
    for (std::size_t i = start; i < std::min(n, start + kChunk); ++i) {
      payloads.push_back(encode_registry_message(registration(i)));
    }
    auto t0 = Steady::now();
    for (const auto& p : payloads) loader.handle(p);
    spent += Steady::now() - t0;
  }
  auto t0 = Steady::now();
  loader.flush();
  spent += Steady::now() - t0;
  return static_cast<double>(n) / std::chrono::duration<double>(spent).count();
}

double lookup_ns(const RouteTable& table, std::size_t routes) {
  std::vector<std::string> hosts;
  std::size_t distinct = std::min<std::size_t>(routes, 100'000);
  hosts.reserve(distinct);
  // A scattered order, so that the big table is not read in memory order.
  for (std::size_t k = 0; k < distinct; ++k) hosts.push_back(host_of((k * 7919) % routes));
  std::size_t lookups = 3'000'000;
  std::size_t found = 0;
  for (std::size_t k = 0; k < std::min<std::size_t>(lookups, 100'000); ++k) {
    found += table.find(hosts[k % distinct], "/index.html?x=1") != nullptr;
  }
  auto t0 = Steady::now();
  for (std::size_t k = 0; k < lookups; ++k) {
    found += table.find(hosts[k % distinct], "/index.html?x=1") != nullptr;
  }
  double ns = std::chrono::duration<double, std::nano>(Steady::now() - t0).count();
  if (found == 0) std::fprintf(stderr, "no route found\n");
  return ns / static_cast<double>(lookups);
}

void lookup_case(std::size_t routes) {
  Loader loader;
  (void)load(loader, routes);
  std::printf("BENCH name=router_table case=lookup routes=%zu ns_per_lookup=%.1f\n", routes,
              lookup_ns(*loader.slot.load(), routes));
}

}  // namespace

int main() {
  lookup_case(1);
  lookup_case(1000);

  constexpr std::size_t kRoutes = 100'000;
  auto loader = std::make_unique<Loader>();
  double rate = load(*loader, kRoutes);
  std::printf("BENCH name=router_table case=register routes=%zu msgs_per_s=%.0f\n", kRoutes, rate);
  std::fprintf(stderr, "router table bench: %zu snapshots published while loading %zu routes\n",
               loader->publishes, kRoutes);
  std::printf("BENCH name=router_table case=memory routes=%zu rss_mb=%.1f\n", kRoutes, rss_mb());
  // Emitters re-send every route every 20 s: the same registrations again only refresh.
  double refresh = load(*loader, kRoutes);
  std::printf("BENCH name=router_table case=refresh routes=%zu msgs_per_s=%.0f\n", kRoutes,
              refresh);
  std::printf("BENCH name=router_table case=lookup routes=%zu ns_per_lookup=%.1f\n", kRoutes,
              lookup_ns(*loader->slot.load(), kRoutes));
  if (loader->failures != 0 || loader->slot.load()->route_count() != kRoutes) {
    std::fprintf(stderr, "router table bench: %zu messages refused, %zu routes loaded\n",
                 loader->failures, loader->slot.load()->route_count());
    return 1;
  }
  return 0;
}
