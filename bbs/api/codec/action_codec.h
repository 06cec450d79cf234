#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "bbs/api/models/action.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::bbs {

// JSON for action trees, in Diego's shape: every action is an object with exactly one key
// naming its kind ({"run": {"path": ..., "user": ...}}, {"serial": {"actions": [...]}},
// {"timeout": {"action": {...}, "timeout_ms": 5000}}). Unknown fields inside an action are
// ignored, as Diego does; an unknown or second kind key is a problem.

struct ActionLimits {
  unsigned max_depth = 16;         // actions nested in actions, the root being depth 1
  std::size_t max_actions = 1024;  // actions in one tree
};

// Writes one action object.
void write(json::Writer& w, const Action& action);
std::string encode_action(const Action& action);

// Reads the action at member `key` of `parent` into `out`, recording every problem in
// `parent` with the field's full path ("action.serial.actions[1].run.path: is required").
// Checks structure and types only: the kind keys, required members (download and upload
// from/to, run path, nested action or actions, timeout_ms), types and the limits.
void read_action(json::ObjectReader& parent, std::string_view key, Action& out,
                 const ActionLimits& limits = {});

// Parses action text (as DesiredLrp::setup, action and monitor and TaskDefinition::action
// hold it); `root` names the tree in problems ("action", "monitor"). The error
// (InvalidArgument) lists every problem.
Result<Action> decode_action(std::string_view text, std::string_view root = "action",
                             const ActionLimits& limits = {});

// decode_action, then validate() (models/action.h): a tree that may run, or an
// InvalidArgument error listing every problem.
Result<Action> parse_action(std::string_view text, std::string_view root = "action",
                            const ActionLimits& limits = {});

}  // namespace cupola::bbs
