#pragma once

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::lifecycle {

// What staging left next to the app in staging_info.yml (Cloud Foundry's file of that name).
struct StagingInfo {
  std::string detected_buildpack;
  std::string start_command;
};

// Reads staging_info.yml: a JSON object (what the builder writes; YAML accepts it too) or
// simple YAML of top-level `key: value` lines, values plain or quoted. Other keys are
// ignored; a start_command that is not a string, or a block scalar (|, >), is an error.
Result<StagingInfo> parse_staging_info(std::string_view text);

}  // namespace cupola::lifecycle
