#include "cloud_controller/src/handlers/quotas.h"

#include <algorithm>

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

bool over(const std::optional<std::int64_t>& limit, std::int64_t value) {
  return limit && value > *limit;
}

// What starting more adds: memory, instances and log rate, and whether any of it logs
// without a limit.
struct Extra {
  std::int64_t largest_memory = 0;
  std::int64_t memory = 0;
  std::int64_t instances = 0;
  std::int64_t log_rate = 0;
  bool unlimited_logs = false;
  void add(const Process& p) {
    largest_memory = std::max(largest_memory, p.memory_in_mb);
    memory += p.instances * p.memory_in_mb;
    instances += p.instances;
    if (p.log_rate_limit < 0) {
      unlimited_logs = true;
    } else {
      log_rate += p.instances * p.log_rate_limit;
    }
  }
};

// The first limit the extra memory, instances and log rate break, in Cloud Foundry's order.
std::optional<CcError> judge(const QuotaUsage& u, const Extra& extra) {
  const std::int64_t per_process_memory = extra.largest_memory;
  const std::int64_t extra_memory = extra.memory;
  const std::int64_t extra_instances = extra.instances;
  if (over(u.org.per_process_memory_in_mb, per_process_memory)) {
    return unprocessable("memory instance_memory_limit_exceeded");
  }
  if (u.space && over(u.space->per_process_memory_in_mb, per_process_memory)) {
    return unprocessable("memory space_instance_memory_limit_exceeded");
  }
  if (over(u.org.total_memory_in_mb, u.org_memory_mb + extra_memory)) {
    return unprocessable("memory quota_exceeded");
  }
  if (u.space && over(u.space->total_memory_in_mb, u.space_memory_mb + extra_memory)) {
    return unprocessable("memory space_quota_exceeded");
  }
  if (over(u.org.total_instances, u.org_instances + extra_instances)) {
    return unprocessable("instances app_instance_limit_exceeded");
  }
  if (u.space && over(u.space->total_instances, u.space_instances + extra_instances)) {
    return unprocessable("instances space_app_instance_limit_exceeded");
  }
  if (u.space && u.space->log_rate_limit_in_bytes_per_second) {
    if (extra.unlimited_logs) {
      return unprocessable("log_rate_limit cannot be unlimited in space '" + u.space_name + "'.");
    }
    if (over(u.space->log_rate_limit_in_bytes_per_second, u.space_log_rate + extra.log_rate)) {
      return unprocessable("log_rate_limit exceeds space log rate quota");
    }
  }
  if (u.org.log_rate_limit_in_bytes_per_second) {
    if (extra.unlimited_logs) {
      return unprocessable("log_rate_limit cannot be unlimited in organization '" +
                           u.organization_name + "'.");
    }
    if (over(u.org.log_rate_limit_in_bytes_per_second, u.org_log_rate + extra.log_rate)) {
      return unprocessable("log_rate_limit exceeds organization log rate quota");
    }
  }
  return std::nullopt;
}

}  // namespace

asio::awaitable<QuotaCheck> check_process_quota(ApiContext& api, std::string space_guid,
                                                Process process) {
  std::string except = process.guid;
  auto u = co_await api.quotas.usage(space_guid, except);
  if (!u) co_return std::move(u).error();
  Extra extra;
  extra.add(process);
  if (auto refusal = judge(*u, extra)) co_return *refusal;
  co_return std::monostate{};
}

asio::awaitable<QuotaCheck> check_start_quota(ApiContext& api, App app) {
  ListQuery q;
  q.filters["app_guids"] = std::vector<std::string>{app.guid};
  q.per_page = kMaxPerPage;
  Viewer all;
  all.admin = true;
  auto processes = co_await api.apps.list_processes(all, q);
  if (!processes) co_return std::move(processes).error();
  std::string space = app.space_guid;
  std::string nothing_excluded;
  auto u = co_await api.quotas.usage(space, nothing_excluded);
  if (!u) co_return std::move(u).error();
  // A started app is counted already; a stopped one adds all of its processes. Either way
  // each process must fit the per-process limits.
  Extra extra;
  for (const auto& p : processes->resources) {
    if (app.state == "STARTED") {
      extra.largest_memory = std::max(extra.largest_memory, p.memory_in_mb);
      extra.unlimited_logs = extra.unlimited_logs || p.log_rate_limit < 0;
      continue;
    }
    extra.add(p);
  }
  if (auto refusal = judge(*u, extra)) co_return *refusal;
  co_return std::monostate{};
}

asio::awaitable<QuotaCheck> check_route_quota(ApiContext& api, std::string space_guid) {
  std::string nothing_excluded;
  auto u = co_await api.quotas.usage(space_guid, nothing_excluded);
  if (!u) co_return std::move(u).error();
  if (over(u->org.total_routes, u->org_routes + 1)) {
    co_return unprocessable("Routes quota exceeded for organization '" + u->organization_name +
                            "'.");
  }
  if (u->space && over(u->space->total_routes, u->space_routes + 1)) {
    co_return unprocessable("Routes quota exceeded for space '" + u->space_name + "'.");
  }
  co_return std::monostate{};
}

asio::awaitable<QuotaCheck> check_service_instance_quota(ApiContext& api, std::string space_guid,
                                                         bool paid) {
  std::string nothing_excluded;
  auto u = co_await api.quotas.usage(space_guid, nothing_excluded);
  if (!u) co_return std::move(u).error();
  if (over(u->org.total_service_instances, u->org_service_instances + 1)) {
    co_return unprocessable("You have exceeded your organization's services limit.");
  }
  if (u->space && over(u->space->total_service_instances, u->space_service_instances + 1)) {
    co_return unprocessable("You have exceeded your space's services limit.");
  }
  if (paid && !u->org.paid_services_allowed) {
    co_return unprocessable(
        "The service instance cannot be created because paid service plans are not allowed.");
  }
  if (paid && u->space && !u->space->paid_services_allowed) {
    co_return unprocessable(
        "The service instance cannot be created because paid service plans are not allowed for "
        "your space.");
  }
  co_return std::monostate{};
}

asio::awaitable<QuotaCheck> check_service_key_quota(ApiContext& api, std::string space_guid) {
  std::string nothing_excluded;
  auto u = co_await api.quotas.usage(space_guid, nothing_excluded);
  if (!u) co_return std::move(u).error();
  if (over(u->org.total_service_keys, u->org_service_keys + 1)) {
    co_return unprocessable(
        "You have exceeded your organization's limit for service binding of type key.");
  }
  if (u->space && over(u->space->total_service_keys, u->space_service_keys + 1)) {
    co_return unprocessable(
        "You have exceeded your space's limit for service binding of type key.");
  }
  co_return std::monostate{};
}

std::optional<http::Response> quota_refusal(ApiContext& api, const QuotaCheck& check) {
  if (const auto* refusal = std::get_if<CcError>(&check)) return error_response(*refusal);
  if (const auto* failed = std::get_if<Error>(&check)) return store_error(api, *failed);
  return std::nullopt;
}

}  // namespace cupola::cc
