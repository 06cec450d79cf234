#pragma once

// What the rules need to know about a backend: one registered instance of a route.

#include <string>

namespace cupola::router::rules {

struct Endpoint {
  // "host:port" as registered, e.g. "10.0.16.4:61001".
  std::string address;
  // The app guid; empty for endpoints registered by platform components.
  std::string app_id;
  // The instance guid (private_instance_id); may be empty.
  std::string instance_id;
  // The instance index as registered (private_instance_index), e.g. "0".
  std::string instance_index;
  // The process guid (the "process_id" tag); may be empty.
  std::string process_id;
  // Whether the router speaks TLS to it.
  bool tls = false;

  bool operator==(const Endpoint&) const = default;
};

}  // namespace cupola::router::rules
