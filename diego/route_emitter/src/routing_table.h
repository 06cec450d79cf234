#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "diego/route_emitter/src/routes.h"

namespace cupola::route_emitter {

// What to publish after a change: unregistrations first, then registrations.
struct Messages {
  std::vector<RegistryMessage> registrations;
  std::vector<RegistryMessage> unregistrations;
  bool empty() const { return registrations.empty() && unregistrations.empty(); }
  void append(Messages other);
};

// Desired routes × running instances (Diego's route emitter routing table). Pure: every
// change returns the messages that bring the routers from the old table to the new one.
// An instance is routed while its actual LRP is RUNNING (the rep reports RUNNING only
// once the health check passed), in any presence: an evacuating copy serves until its
// replacement runs and its row is removed. Not thread-safe.
class RoutingTable {
 public:
  // Replaces the whole table (a full sync with the BBS's lists).
  Messages sync(const std::vector<bbs::DesiredLrp>& desired,
                const std::vector<bbs::ActualLrp>& actual);
  // desired_lrp_created / desired_lrp_changed.
  Messages set_desired(const bbs::DesiredLrp& lrp);
  // desired_lrp_removed.
  Messages remove_desired(const std::string& process_guid);
  // actual_lrp_created, and a full record as it is now.
  Messages set_actual(const bbs::ActualLrp& lrp);
  // actual_lrp_changed: the instance `before` held the row may differ from `after`'s (an
  // instance that crashed and is UNCLAIMED again holds none).
  Messages change_actual(const bbs::ActualLrp& before, const bbs::ActualLrp& after);
  // actual_lrp_removed, actual_lrp_crashed: the instance with this guid no longer serves.
  Messages remove_actual(const std::string& process_guid, const std::string& instance_guid);

  // Every registration, for the periodic re-emit.
  std::vector<RegistryMessage> registrations() const;
  std::size_t route_count() const;     // hostnames routed
  std::size_t endpoint_count() const;  // registrations

  // Desired LRPs whose routes did not parse, with the reason (they route nothing).
  const std::map<std::string, std::string>& invalid_routes() const { return invalid_; }

 private:
  struct Desired {
    std::vector<CfRoute> routes;
    std::string log_guid;
  };
  struct Endpoint {
    std::int32_t index = 0;
    std::string address;
    std::vector<bbs::PortMapping> ports;
    std::string zone;
    std::int64_t since = 0;
  };
  using Key = std::tuple<std::string, std::uint32_t, std::string, std::string, std::string>;
  using Registrations = std::map<Key, RegistryMessage>;

  Registrations registrations_of(const std::string& process_guid) const;
  static Messages diff(const Registrations& before, const Registrations& after);
  void put_desired(const bbs::DesiredLrp& lrp);
  void put_actual(const bbs::ActualLrp& lrp);

  std::map<std::string, Desired> desired_;                            // by process guid
  std::map<std::string, std::map<std::string, Endpoint>> endpoints_;  // process → instance
  std::map<std::string, std::string> invalid_;
};

}  // namespace cupola::route_emitter
