#pragma once

// Buildpacks as Cloud Foundry shows them, and the bodies it accepts to create, change and
// upload one, checked in its words.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "cloud_controller/src/api/errors.h"
#include "cloud_controller/src/bits/multipart.h"
#include "cloud_controller/src/db/buildpacks_db.h"
#include "cloud_controller/src/handlers/api_context.h"
#include "common/json/json.h"

namespace cupola::cc {

// The v3 buildpack object: guid, timestamps, name, stack, state, lifecycle, filename,
// position, enabled, locked, metadata and links (self; upload, with its method).
void write_buildpack(json::Writer& w, const Urls& urls, const Buildpack& b);

struct BuildpackCreateRequest {
  Buildpack buildpack;                   // no guid yet
  std::optional<std::int64_t> position;  // as asked for
};

// A POST /v3/buildpacks body (a JSON object) with Cloud Foundry's defaults, or a 422 naming
// every problem, joined with ", ".
std::variant<BuildpackCreateRequest, CcError> read_buildpack_create(const json::Value& body);
// A PATCH /v3/buildpacks/:guid body, the same way.
std::variant<BuildpackChange, CcError> read_buildpack_update(const json::Value& body);

// What is wrong with the `bits` part of an upload for a buildpack of `lifecycle` ("" when
// nothing is): missing, not a zip (a gzip or cnb archive for "cnb"), or empty.
std::string buildpack_upload_problems(const std::optional<bits::Part>& part,
                                      const std::string& lifecycle);

}  // namespace cupola::cc
