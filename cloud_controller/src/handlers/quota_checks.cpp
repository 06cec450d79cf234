#include "cloud_controller/src/handlers/quotas.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

bool over(const std::optional<std::int64_t>& limit, std::int64_t value) {
  return limit && value > *limit;
}

// The first limit the extra memory and instances break, in Cloud Foundry's order.
std::optional<CcError> judge(const QuotaUsage& u, std::int64_t per_process_memory,
                             std::int64_t extra_memory, std::int64_t extra_instances) {
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
  return std::nullopt;
}

}  // namespace

asio::awaitable<QuotaCheck> check_process_quota(ApiContext& api, std::string space_guid,
                                                Process process) {
  std::string except = process.guid;
  auto u = co_await api.quotas.usage(space_guid, except);
  if (!u) co_return std::move(u).error();
  if (auto refusal = judge(*u, process.memory_in_mb, process.instances * process.memory_in_mb,
                           process.instances)) {
    co_return *refusal;
  }
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
  // A started app is counted already; a stopped one adds all of its processes.
  std::int64_t memory = 0, instances = 0, largest = 0;
  for (const auto& p : processes->resources) {
    largest = std::max(largest, p.memory_in_mb);
    if (app.state == "STARTED") continue;
    memory += p.instances * p.memory_in_mb;
    instances += p.instances;
  }
  if (auto refusal = judge(*u, largest, memory, instances)) co_return *refusal;
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

std::optional<http::Response> quota_refusal(ApiContext& api, const QuotaCheck& check) {
  if (const auto* refusal = std::get_if<CcError>(&check)) return error_response(*refusal);
  if (const auto* failed = std::get_if<Error>(&check)) return store_error(api, *failed);
  return std::nullopt;
}

}  // namespace cupola::cc
