#pragma once

#include <string>
#include <vector>

#include "bbs/api/models/errors.h"

namespace cupola::bbs {

// InvalidRequest listing every problem: "Invalid field: instances, Invalid field: rootfs".
inline Error invalid_request(const std::vector<std::string>& problems) {
  std::string msg;
  for (const auto& p : problems) {
    if (!msg.empty()) msg += ", ";
    msg += p;
  }
  return bbs_error(ErrorType::InvalidRequest, std::move(msg));
}

}  // namespace cupola::bbs
