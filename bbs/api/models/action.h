#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bbs/api/models/desired_lrp.h"

namespace cupola::bbs {

// Actions: the composable tree a cell's executor interprets (Diego's action models, with its
// field names). DesiredLrp and TaskDefinition carry them as JSON text; the codec in
// bbs/api/codec/action_codec.h turns that text into this tree and back.

struct Action;

// Holds exactly one nested action by value (copies are deep). A moved-from box holds
// nothing and may only be assigned to or destroyed.
class ActionBox {
 public:
  ActionBox();
  ActionBox(Action action);  // NOLINT: implicit, so that {.action = RunAction{...}} reads well
  ActionBox(const ActionBox& other);
  ActionBox(ActionBox&&) noexcept = default;
  ActionBox& operator=(const ActionBox& other);
  ActionBox& operator=(ActionBox&&) noexcept = default;
  ~ActionBox();

  const Action& operator*() const { return *action_; }
  Action& operator*() { return *action_; }
  const Action* operator->() const { return action_.get(); }
  Action* operator->() { return action_.get(); }

  friend bool operator==(const ActionBox& a, const ActionBox& b);

 private:
  std::unique_ptr<Action> action_;
};

// Fetches `from` (a URL) and unpacks the tarball into `to` inside the container as `user`.
// Downloads with a cache_key are cached on the cell. `artifact` names it in the logs
// ("Downloading droplet..."); without one the download is silent unless it fails.
struct DownloadAction {
  std::string artifact;
  std::string from;
  std::string to;
  std::string cache_key;
  std::string log_source;
  std::string user;
  std::string checksum_algorithm;  // "md5", "sha1" or "sha256"; with checksum_value
  std::string checksum_value;      // hex
  bool operator==(const DownloadAction&) const = default;
};

// Copies the file `from` out of the container and uploads it to the URL `to`.
struct UploadAction {
  std::string artifact;
  std::string from;
  std::string to;
  std::string log_source;
  std::string user;
  bool operator==(const UploadAction&) const = default;
};

struct ResourceLimits {
  std::optional<std::uint64_t> nofile;
  bool operator==(const ResourceLimits&) const = default;
};

// Runs a process in the container; it fails when the process exits non-zero.
struct RunAction {
  std::string path;
  std::vector<std::string> args;
  std::string dir;
  std::vector<EnvironmentVariable> env;
  ResourceLimits resource_limits;
  std::string user;
  std::string log_source;
  bool suppress_log_output = false;
  bool operator==(const RunAction&) const = default;
};

// Fails the nested action, cancelling it, when it runs longer than timeout_ms.
struct TimeoutAction {
  ActionBox action;
  std::int64_t timeout_ms = 0;
  std::string log_source;
  bool operator==(const TimeoutAction&) const = default;
};

// Writes start, success and failure messages around the nested action.
struct EmitProgressAction {
  ActionBox action;
  std::string start_message;
  std::string success_message;
  std::string failure_message_prefix;
  std::string log_source;
  bool operator==(const EmitProgressAction&) const = default;
};

// Runs the nested action and ignores its failure.
struct TryAction {
  ActionBox action;
  std::string log_source;
  bool operator==(const TryAction&) const = default;
};

// Runs every action at once and waits for all; fails when any failed.
struct ParallelAction {
  std::vector<Action> actions;
  std::string log_source;
  bool operator==(const ParallelAction&) const = default;
};

// Runs the actions one after another and stops at the first failure.
struct SerialAction {
  std::vector<Action> actions;
  std::string log_source;
  bool operator==(const SerialAction&) const = default;
};

// Runs every action at once; all must keep running: the first to finish (even
// successfully) cancels the rest, and the whole fails.
struct CodependentAction {
  std::vector<Action> actions;
  std::string log_source;
  bool operator==(const CodependentAction&) const = default;
};

// One node of an action tree: exactly one kind of action.
struct Action {
  using Value =
      std::variant<DownloadAction, UploadAction, RunAction, TimeoutAction, EmitProgressAction,
                   TryAction, ParallelAction, SerialAction, CodependentAction>;
  Value value;
  bool operator==(const Action&) const = default;
};

// The JSON key of an action's kind: "download", "upload", "run", "timeout",
// "emit_progress", "try", "parallel", "serial", "codependent".
std::string_view action_kind(const Action& action);

// Diego's rules for a tree that may run: download needs from, to and user (and a known
// checksum algorithm with its value, or neither); upload needs from, to and user; run
// needs path and user; timeout, try and emit_progress need their action, timeout a
// positive timeout_ms; serial, parallel and codependent at least one action. Each problem
// names the field's path below `root` ("Invalid field: action.serial.actions[1].run.user");
// empty when the tree may run.
std::vector<std::string> validate(const Action& action, std::string_view root = "action");

}  // namespace cupola::bbs
