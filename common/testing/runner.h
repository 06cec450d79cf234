#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/testing/process.h"
#include "common/testing/temp_dir.h"

namespace cupola::testing {

// Runs one of the project's server binaries for a test (STYLE rule 21): writes `config_json`
// to a temp file, starts `<bin dir>/<binary> --config <file>`, and waits for the
// `<source>.started` log line. Stops the process (SIGTERM) on destruction.
class ComponentRunner {
 public:
  ComponentRunner(std::string binary, std::string source, std::string config_json);

  // Throws std::runtime_error with the process output when the start line does not come
  // within `timeout` or the process exits first.
  void start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGTERM and wait; returns the exit status.
  int stop();
  // kill -9, for crash tests.
  void kill();
  bool running() const { return process_ && process_->running(); }

  Process& process() { return *process_; }
  const std::string& source() const { return source_; }
  const TempDir& dir() const { return dir_; }

 private:
  std::string binary_;
  std::string source_;
  std::string config_json_;
  TempDir dir_;
  std::unique_ptr<Process> process_;
};

}  // namespace cupola::testing
