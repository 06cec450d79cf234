#include "bbs/api/models/action.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace cupola::bbs {

ActionBox::ActionBox() : action_(std::make_unique<Action>()) {}
ActionBox::ActionBox(Action action) : action_(std::make_unique<Action>(std::move(action))) {}
ActionBox::ActionBox(const ActionBox& other)
    : action_(other.action_ ? std::make_unique<Action>(*other.action_) : nullptr) {}
ActionBox& ActionBox::operator=(const ActionBox& other) {
  if (this != &other) {
    action_ = other.action_ ? std::make_unique<Action>(*other.action_) : nullptr;
  }
  return *this;
}
ActionBox::~ActionBox() = default;

bool operator==(const ActionBox& a, const ActionBox& b) {
  if (!a.action_ || !b.action_) return a.action_ == b.action_;
  return *a.action_ == *b.action_;
}

namespace {

struct KindName {
  std::string_view operator()(const DownloadAction&) const { return "download"; }
  std::string_view operator()(const UploadAction&) const { return "upload"; }
  std::string_view operator()(const RunAction&) const { return "run"; }
  std::string_view operator()(const TimeoutAction&) const { return "timeout"; }
  std::string_view operator()(const EmitProgressAction&) const { return "emit_progress"; }
  std::string_view operator()(const TryAction&) const { return "try"; }
  std::string_view operator()(const ParallelAction&) const { return "parallel"; }
  std::string_view operator()(const SerialAction&) const { return "serial"; }
  std::string_view operator()(const CodependentAction&) const { return "codependent"; }
};

std::string join(const std::string& path, std::string_view field) {
  return path.empty() ? std::string(field) : path + "." + std::string(field);
}

// Walks the tree and records "Invalid field: <path>" for each broken field.
class Validator {
 public:
  explicit Validator(std::vector<std::string>& problems) : problems_(problems) {}

  void check(const Action& a, const std::string& path) {
    std::string at = join(path, action_kind(a));
    std::visit([&](const auto& v) { check_kind(v, at); }, a.value);
  }

 private:
  void invalid(const std::string& path, std::string_view field) {
    problems_.push_back("Invalid field: " + join(path, field));
  }
  void required(const std::string& path, std::string_view field, const std::string& value) {
    if (value.empty()) invalid(path, field);
  }
  void nested(const ActionBox& box, const std::string& path) {
    if (box.operator->() == nullptr) {
      invalid(path, "action");
      return;
    }
    check(*box, join(path, "action"));
  }
  void list(const std::vector<Action>& actions, const std::string& path) {
    if (actions.empty()) invalid(path, "actions");
    for (std::size_t i = 0; i < actions.size(); ++i) {
      check(actions[i], join(path, "actions[" + std::to_string(i) + "]"));
    }
  }

  void check_kind(const DownloadAction& d, const std::string& p) {
    required(p, "from", d.from);
    required(p, "to", d.to);
    required(p, "user", d.user);
    if (!d.checksum_value.empty() && d.checksum_algorithm.empty()) {
      invalid(p, "checksum_algorithm");
    }
    if (d.checksum_value.empty() && !d.checksum_algorithm.empty()) invalid(p, "checksum_value");
    if (!d.checksum_value.empty() && !d.checksum_algorithm.empty()) {
      static constexpr std::array<std::string_view, 3> kKnown = {"md5", "sha1", "sha256"};
      std::string lower = d.checksum_algorithm;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(kKnown.begin(), kKnown.end(), lower) == kKnown.end()) {
        invalid(p, "checksum_algorithm");
      }
    }
  }
  void check_kind(const UploadAction& u, const std::string& p) {
    required(p, "from", u.from);
    required(p, "to", u.to);
    required(p, "user", u.user);
  }
  void check_kind(const RunAction& r, const std::string& p) {
    required(p, "path", r.path);
    required(p, "user", r.user);
  }
  void check_kind(const TimeoutAction& t, const std::string& p) {
    nested(t.action, p);
    if (t.timeout_ms <= 0) invalid(p, "timeout_ms");
  }
  void check_kind(const EmitProgressAction& e, const std::string& p) { nested(e.action, p); }
  void check_kind(const TryAction& t, const std::string& p) { nested(t.action, p); }
  void check_kind(const ParallelAction& a, const std::string& p) { list(a.actions, p); }
  void check_kind(const SerialAction& a, const std::string& p) { list(a.actions, p); }
  void check_kind(const CodependentAction& a, const std::string& p) { list(a.actions, p); }

  std::vector<std::string>& problems_;
};

}  // namespace

std::string_view action_kind(const Action& action) { return std::visit(KindName{}, action.value); }

std::vector<std::string> validate(const Action& action, std::string_view root) {
  std::vector<std::string> problems;
  Validator(problems).check(action, std::string(root));
  return problems;
}

}  // namespace cupola::bbs
