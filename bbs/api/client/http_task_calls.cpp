// HttpBbsClient's calls for tasks, cells, domains and locks.
#include "bbs/api/client/http_bbs_client.h"
#include "bbs/api/client/wire.h"
#include "bbs/api/codec/codec.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using client_detail::invalid_response;
using client_detail::read_record;
using client_detail::read_records;

asio::awaitable<Status> HttpBbsClient::task_command(std::string path, std::string task_guid) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).end_object();
  co_return co_await command(std::move(path), w.str());
}

// Tasks

asio::awaitable<Status> HttpBbsClient::desire_task(std::string task_guid, std::string domain,
                                                   TaskDefinition definition) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).field("domain", domain);
  w.key("task_definition");
  write(w, definition);
  w.end_object();
  co_return co_await command("/v1/tasks/desire", w.str());
}

asio::awaitable<Result<bool>> HttpBbsClient::start_task(std::string task_guid,
                                                        std::string cell_id) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).field("cell_id", cell_id).end_object();
  const std::string path = "/v1/tasks/start";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  json::ObjectReader r(*answer);
  bool should_start = false;
  r.required("should_start", should_start);
  if (!r.ok()) co_return invalid_response("POST " + base_url_ + path, r);
  co_return should_start;
}

asio::awaitable<Status> HttpBbsClient::complete_task(std::string task_guid, std::string cell_id,
                                                     bool failed, std::string failure_reason,
                                                     std::string result) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).field("cell_id", cell_id);
  w.field("failed", failed).field("failure_reason", failure_reason).field("result", result);
  w.end_object();
  co_return co_await command("/v1/tasks/complete", w.str());
}

asio::awaitable<Status> HttpBbsClient::fail_task(std::string task_guid,
                                                 std::string failure_reason) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).field("failure_reason", failure_reason);
  w.end_object();
  co_return co_await command("/v1/tasks/fail", w.str());
}

asio::awaitable<Status> HttpBbsClient::reject_task(std::string task_guid,
                                                   std::string rejection_reason) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).field("rejection_reason", rejection_reason);
  w.end_object();
  co_return co_await command("/v1/tasks/reject", w.str());
}

asio::awaitable<Status> HttpBbsClient::cancel_task(std::string task_guid) {
  co_return co_await task_command("/v1/tasks/cancel", std::move(task_guid));
}

asio::awaitable<Status> HttpBbsClient::resolving_task(std::string task_guid) {
  co_return co_await task_command("/v1/tasks/resolving", std::move(task_guid));
}

asio::awaitable<Status> HttpBbsClient::resolve_task(std::string task_guid) {
  co_return co_await task_command("/v1/tasks/resolve", std::move(task_guid));
}

asio::awaitable<Result<std::vector<Task>>> HttpBbsClient::tasks(TaskQuery query) {
  json::Writer w;
  w.start_object();
  if (query.domain) w.field("domain", *query.domain);
  if (query.cell_id) w.field("cell_id", *query.cell_id);
  if (query.state) w.field("state", to_string(*query.state));
  w.end_object();
  const std::string path = "/v1/tasks/list";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  co_return read_records<Task>(*answer, "tasks", "POST " + base_url_ + path);
}

asio::awaitable<Result<Task>> HttpBbsClient::task_by_guid(std::string task_guid) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).end_object();
  const std::string path = "/v1/tasks/get_by_task_guid";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  co_return read_record<Task>(*answer, "task", "POST " + base_url_ + path);
}

// Cells, domains, locks

asio::awaitable<Status> HttpBbsClient::heartbeat_cell(CellPresence cell,
                                                      std::uint32_t ttl_seconds) {
  json::Writer w;
  w.start_object().key("cell_presence");
  write(w, cell);
  w.field("ttl_seconds", ttl_seconds).end_object();
  co_return co_await command("/v1/cells/heartbeat", w.str());
}

asio::awaitable<Result<std::vector<CellPresence>>> HttpBbsClient::cells() {
  const std::string path = "/v1/cells/list";
  auto answer = co_await call(path, "{}");
  if (!answer) co_return std::move(answer).error();
  co_return read_records<CellPresence>(*answer, "cells", "POST " + base_url_ + path);
}

asio::awaitable<Status> HttpBbsClient::upsert_domain(std::string domain,
                                                     std::uint32_t ttl_seconds) {
  json::Writer w;
  w.start_object().field("domain", domain).field("ttl", ttl_seconds).end_object();
  co_return co_await command("/v1/domains/upsert", w.str());
}

asio::awaitable<Result<std::vector<std::string>>> HttpBbsClient::domains() {
  const std::string path = "/v1/domains/list";
  auto answer = co_await call(path, "{}");
  if (!answer) co_return std::move(answer).error();
  json::ObjectReader r(*answer);
  std::vector<std::string> names;
  r.required("domains", names);
  if (!r.ok()) co_return invalid_response("POST " + base_url_ + path, r);
  co_return names;
}

asio::awaitable<Status> HttpBbsClient::acquire_lock(std::string key, std::string owner,
                                                    std::uint32_t ttl_seconds, std::string value) {
  json::Writer w;
  w.start_object().field("key", key).field("owner", owner).field("ttl_seconds", ttl_seconds);
  if (!value.empty()) w.field("value", value);
  w.end_object();
  co_return co_await command("/v1/locks/acquire", w.str());
}

asio::awaitable<Status> HttpBbsClient::release_lock(std::string key, std::string owner) {
  json::Writer w;
  w.start_object().field("key", key).field("owner", owner).end_object();
  co_return co_await command("/v1/locks/release", w.str());
}

asio::awaitable<Result<LockRecord>> HttpBbsClient::get_lock(std::string key) {
  const std::string path = "/v1/locks/get";
  json::Writer w;
  w.start_object().field("key", key).end_object();
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  json::ObjectReader r(*answer);
  auto o = r.object("lock", true);
  LockRecord lock;
  o.required("key", lock.key);
  o.required("owner", lock.owner);
  o.optional("value", lock.value);
  if (!r.ok()) co_return invalid_response("POST " + base_url_ + path, r);
  co_return lock;
}

}  // namespace cupola::bbs
