#include "common/http/varz.h"

namespace cupola::http {

Varz::Varz(std::string name) : name_(std::move(name)), started_(std::chrono::steady_clock::now()) {}

std::atomic<std::int64_t>& Varz::counter(const std::string& name) {
  std::lock_guard lock(mu_);
  auto& slot = counters_[name];
  if (!slot) slot = std::make_unique<std::atomic<std::int64_t>>(0);
  return *slot;
}

void Varz::gauge(const std::string& name, std::function<std::int64_t()> read) {
  std::lock_guard lock(mu_);
  gauges_[name] = std::move(read);
}

std::string Varz::to_json() const {
  json::Writer w;
  w.start_object();
  w.field("name", name_);
  auto up = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  w.field("uptime_seconds", up);
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : counters_) w.field(k, static_cast<long long>(v->load()));
  for (const auto& [k, read] : gauges_) w.field(k, static_cast<long long>(read()));
  w.end_object();
  return w.str();
}

}  // namespace cupola::http
