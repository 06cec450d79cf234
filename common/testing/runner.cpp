#include "common/testing/runner.h"

#include <csignal>
#include <stdexcept>

namespace cupola::testing {

ComponentRunner::ComponentRunner(std::string binary, std::string source, std::string config_json)
    : binary_(std::move(binary)),
      source_(std::move(source)),
      config_json_(std::move(config_json)),
      dir_(source_) {}

void ComponentRunner::start(std::chrono::milliseconds timeout) {
  auto config = dir_.write_file("config.json", config_json_);
  ProcessOptions o;
  o.path = binary_path(binary_);
  o.args = {"--config", config.string()};
  o.log_file = (dir_ / "output.log").string();
  process_ = std::make_unique<Process>(std::move(o));
  if (!process_->wait_for_message(source_ + ".started", timeout)) {
    std::string out = process_->output();
    process_->stop();
    throw std::runtime_error(binary_ + " did not log " + source_ + ".started; output:\n" + out);
  }
}

int ComponentRunner::stop() { return process_ ? process_->stop() : -1; }

void ComponentRunner::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
}

}  // namespace cupola::testing
