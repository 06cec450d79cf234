#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::rep {

// cupola-rep's configuration file: one rep per cell.
struct RepConfig {
  std::string cell_id;  // required; unique among cells
  std::string zone = "z1";
  std::string listen_address = "127.0.0.1:1800";  // /healthz, /varz
  std::string log_level = "info";
  std::string bbs_url = "http://127.0.0.1:8889";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};

  // Capacity offered to the auction. 0 memory or disk: measured from the host.
  std::int64_t memory_mb = 0;
  std::int64_t disk_mb = 0;
  std::int64_t max_containers = 250;
  std::vector<std::string> stacks{"cupolafs"};
  std::vector<std::string> placement_tags;
  std::vector<std::string> optional_placement_tags;

  // Containers: "runc", "process", or "auto" (runc when root and runc works).
  std::string backend = "auto";
  std::string depot_dir;      // required: the cell's containers live here
  std::string stack_dir;      // the cupolafs root filesystem (runc)
  std::string lifecycle_dir;  // cupola-launcher and cupola-healthcheck; "": next to the rep
  std::string cache_dir;      // downloads cache; "": <depot_dir>/.cache
  std::int64_t cache_max_mb = 2048;

  // The address apps are reached at, and the host ports instances get.
  std::string host_address = "127.0.0.1";
  std::uint32_t first_port = 61000;
  std::uint32_t last_port = 61999;

  std::chrono::milliseconds presence_ttl{15'000};        // whole seconds
  std::chrono::milliseconds heartbeat_interval{5'000};   // less than the TTL
  std::chrono::milliseconds reconcile_interval{30'000};  // containers against the BBS
  std::chrono::milliseconds stop_grace{10'000};          // SIGTERM to SIGKILL
  std::chrono::milliseconds default_start_timeout{60'000};
  std::chrono::milliseconds unhealthy_interval{2'000};
  std::chrono::milliseconds healthy_interval{30'000};
  std::chrono::milliseconds evacuation_timeout{600'000};
  std::chrono::milliseconds metrics_interval{15'000};

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::rep
