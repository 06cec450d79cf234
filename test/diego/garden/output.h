#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "diego/garden/garden.h"

namespace cupola::garden::test {

// Collects a process's stdout and stderr (written from the backend's thread).
struct Output {
  std::mutex mu;
  std::string out, err;
  ProcessIO io() {
    return {[this](std::string_view s) {
              std::lock_guard lock(mu);
              out.append(s);
            },
            [this](std::string_view s) {
              std::lock_guard lock(mu);
              err.append(s);
            }};
  }
  std::string all() {
    std::lock_guard lock(mu);
    return "stdout: " + out + "\nstderr: " + err;
  }
};

// A shell script to run, as `user`.
inline ProcessSpec sh(std::string script, std::string user = "vcap") {
  ProcessSpec p;
  p.path = "/bin/sh";
  p.args = {"-c", std::move(script)};
  p.user = std::move(user);
  return p;
}

}  // namespace cupola::garden::test
