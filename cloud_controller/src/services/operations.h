#pragma once

// The work a managed service instance or binding asks of its broker, done in the background:
// provision, update, deprovision, bind and unbind with accepts_incomplete, polling the
// broker's last_operation (at its Retry-After when it gives one) until the operation ends or
// its time is up, orphan mitigation after a create that may have half happened, and the job
// and last_operation the user watches. What was in progress when the Cloud Controller
// stopped is picked up by resume().

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/db/brokers_db.h"
#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "cloud_controller/src/services/broker_client.h"
#include "cloud_controller/src/storage/secret_box.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::cc {

struct ServiceTimings {
  std::chrono::milliseconds broker_timeout{60'000};  // one request to a broker
  std::chrono::milliseconds first_poll{1'000};       // before the first last_operation poll
  std::chrono::milliseconds poll_interval{30'000};   // the longest wait between two polls
  // How long an operation may stay in progress, unless its plan's maximum_polling_duration
  // is shorter (Cloud Foundry's default: a week).
  std::chrono::milliseconds max_polling{7LL * 24 * 3600 * 1000};
};

class ServiceOperations {
 public:
  ServiceOperations(boost::asio::any_io_executor ex, TenancyDb& db, ServicesDb& services,
                    BrokersDb& brokers, const SecretBox& secrets, http::Client& client,
                    log::Logger log, ServiceTimings timings = {});

  // Each starts in the background. The instance or binding is stored with the operation in
  // progress and its job PROCESSING (POLLING once the broker accepted the work); they end
  // succeeded and COMPLETE, or failed and FAILED with the reason. `parameters_json` is the user's
  // parameters object, or "" for none.
  void provision(std::string instance_guid, std::string parameters_json, std::string user_guid);
  void update(std::string instance_guid, std::string parameters_json, std::string user_guid);
  // Unbinds its bindings and keys first; the instance row goes when the broker is done.
  void deprovision(std::string instance_guid, std::string user_guid);
  void bind(std::string binding_guid, std::string parameters_json, std::string user_guid);
  void unbind(std::string binding_guid, std::string user_guid);

  // After a restart: polls what brokers had accepted, repeats deletes, and fails creates and
  // updates no broker had answered (creates with orphan mitigation).
  boost::asio::awaitable<Status> resume();

 private:
  struct Target;
  void start(boost::asio::awaitable<void> work);
  boost::asio::awaitable<Result<Target>> target(std::string plan_guid, std::string space_guid);
  boost::asio::awaitable<OperationEnd> poll(Target t, std::string path,
                                            services::BrokerAction action,
                                            std::optional<std::chrono::seconds> retry_after,
                                            std::string user_guid);
  boost::asio::awaitable<void> run_instance(std::string guid, services::BrokerAction action,
                                            std::string parameters_json, std::string user_guid,
                                            bool resumed);
  boost::asio::awaitable<void> run_binding(std::string guid, services::BrokerAction action,
                                           std::string parameters_json, std::string user_guid,
                                           bool resumed);
  // Unbinds one binding now (the caller is deleting its instance): its end.
  boost::asio::awaitable<OperationEnd> unbind_now(ServiceBinding b, Target t,
                                                  std::string user_guid);
  boost::asio::awaitable<void> forget_instance(std::string guid);
  boost::asio::awaitable<void> mitigate(Target t, std::string path, std::string user_guid);
  // The broker accepted the work (202): the job is POLLING, as in Cloud Foundry.
  boost::asio::awaitable<void> job_polling(std::optional<std::string> job);
  boost::asio::awaitable<void> finish_job(std::optional<std::string> job, std::string operation,
                                          OperationEnd end);

  boost::asio::any_io_executor ex_;
  TenancyDb& db_;
  ServicesDb& services_;
  BrokersDb& brokers_;
  const SecretBox& secrets_;
  http::Client& client_;
  log::Logger log_;
  ServiceTimings timings_;
};

}  // namespace cupola::cc
