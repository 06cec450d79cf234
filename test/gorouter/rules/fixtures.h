#pragma once

// Requests, ids and endpoints shared by the router rule tests.

#include <string>

#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"
#include "gorouter/rules/request_context.h"
#include "gorouter/rules/trace_info.h"

namespace cupola::router::rules::testing {

inline constexpr const char* kRequestId = "6ba7b810-9dad-41d1-80b4-00c04fd430c8";
// kRequestId without dashes, and its low 16 digits.
inline constexpr const char* kFreshTraceId = "6ba7b8109dad41d180b400c04fd430c8";
inline constexpr const char* kFreshSpanId = "80b400c04fd430c8";
inline constexpr const char* kParentId = "a1b2c3d4e5f60718";

inline constexpr const char* kAppGuid = "5f1a3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b";
inline constexpr const char* kInstanceGuid = "e8f1c0de-2a3b-4c5d-8e9f-0a1b2c3d4e5f";

inline FreshIds fresh_ids() { return {kRequestId, kParentId}; }

inline Endpoint endpoint(std::string address = "10.0.16.4:61001",
                         std::string instance_id = kInstanceGuid, std::string index = "2") {
  Endpoint e;
  e.address = std::move(address);
  e.app_id = kAppGuid;
  e.instance_id = std::move(instance_id);
  e.instance_index = std::move(index);
  return e;
}

// A plain-HTTP GET for app.example.com from 203.0.113.7, received at 1,700,000,000,123 ms.
inline ClientRequest client_request(HeaderList extra = {}) {
  ClientRequest r;
  r.headers = {{"Host", "app.example.com"}, {"User-Agent", "curl/8.5.0"}};
  for (Header& h : extra) r.headers.push_back(std::move(h));
  r.remote_addr = "203.0.113.7:52113";
  r.start_ms = 1'700'000'000'123;
  return r;
}

}  // namespace cupola::router::rules::testing
