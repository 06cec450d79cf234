#pragma once

// Requests that address one instance, and the Host check made before any lookup.
//
// "X-Cf-App-Instance: <app guid>:<index>" sends a request to the instance with that index of
// that app. The guid is lower-case 8-4-4-4-12 hex and the index decimal digits, nothing else;
// anything else is refused (400, invalid_cf_app_instance_header). When the route has no such
// instance the answer is 400 "Requested instance ... does not exist for route ...".
// "X-Cf-Process-Instance: <process guid>[:<index>]" does the same by process. The app header
// wins when both are present; an empty header counts as absent.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

struct InstanceTarget {
  enum class By { App, Process };
  By by = By::App;
  std::string guid;
  // The index as written; "" when a process header names no index.
  std::string index;

  bool operator==(const InstanceTarget&) const = default;
};

// Parses "<guid>:<index>"; InvalidArgument "invalid-app-instance-header: <value>" otherwise.
Result<InstanceTarget> parse_app_instance(std::string_view value);

// Parses "<guid>" or "<guid>:<index>"; InvalidArgument
// "invalid-process-instance-header: <value>" otherwise.
Result<InstanceTarget> parse_process_instance(std::string_view value);

// The request's instance target: nullopt when it has neither header, an error when the header
// that applies is malformed.
Result<std::optional<InstanceTarget>> instance_target(const HeaderList& request_headers);

// The endpoints of `pool` the target selects: by app id and index, or by process id and (if
// given) index. Indices compare as strings, as registered.
std::vector<Endpoint> select_instances(std::span<const Endpoint> pool,
                                       const InstanceTarget& target);

// Whether the request lacks a usable Host: it is empty, or its host part is the client's own
// address (a load balancer filling in an HTTP/1.0 request). Ports are ignored on both sides.
bool host_missing(std::string_view host, std::string_view remote_addr) noexcept;

}  // namespace cupola::router::rules
