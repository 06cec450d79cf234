#include "bbs/api/codec/action_codec.h"

#include <array>
#include <functional>
#include <utility>

#include "bbs/api/codec/raw.h"

namespace cupola::bbs {
namespace {

// --- writing ---

void write_if(json::Writer& w, std::string_view key, const std::string& value) {
  if (!value.empty()) w.field(key, value);
}

void write_list(json::Writer& w, const std::vector<Action>& actions, const std::string& source) {
  w.start_object().key("actions").start_array();
  for (const auto& a : actions) write(w, a);
  w.end_array();
  write_if(w, "log_source", source);
  w.end_object();
}

struct BodyWriter {
  json::Writer& w;

  void operator()(const DownloadAction& d) const {
    w.start_object();
    write_if(w, "artifact", d.artifact);
    w.field("from", d.from).field("to", d.to).field("cache_key", d.cache_key);
    write_if(w, "log_source", d.log_source);
    w.field("user", d.user);
    write_if(w, "checksum_algorithm", d.checksum_algorithm);
    write_if(w, "checksum_value", d.checksum_value);
    w.end_object();
  }
  void operator()(const UploadAction& u) const {
    w.start_object();
    write_if(w, "artifact", u.artifact);
    w.field("from", u.from).field("to", u.to);
    write_if(w, "log_source", u.log_source);
    w.field("user", u.user);
    w.end_object();
  }
  void operator()(const RunAction& r) const {
    w.start_object().field("path", r.path);
    if (!r.args.empty()) {
      w.key("args").start_array();
      for (const auto& a : r.args) w.value(a);
      w.end_array();
    }
    write_if(w, "dir", r.dir);
    if (!r.env.empty()) write_env(w, r.env);
    if (r.resource_limits.nofile) {
      w.key("resource_limits").start_object().field("nofile", *r.resource_limits.nofile);
      w.end_object();
    }
    w.field("user", r.user);
    write_if(w, "log_source", r.log_source);
    w.field("suppress_log_output", r.suppress_log_output);
    w.end_object();
  }
  void operator()(const TimeoutAction& t) const {
    w.start_object().key("action");
    write(w, *t.action);
    w.field("timeout_ms", static_cast<long long>(t.timeout_ms));
    write_if(w, "log_source", t.log_source);
    w.end_object();
  }
  void operator()(const EmitProgressAction& e) const {
    w.start_object().key("action");
    write(w, *e.action);
    w.field("start_message", e.start_message).field("success_message", e.success_message);
    w.field("failure_message_prefix", e.failure_message_prefix);
    write_if(w, "log_source", e.log_source);
    w.end_object();
  }
  void operator()(const TryAction& t) const {
    w.start_object().key("action");
    write(w, *t.action);
    write_if(w, "log_source", t.log_source);
    w.end_object();
  }
  void operator()(const ParallelAction& p) const { write_list(w, p.actions, p.log_source); }
  void operator()(const SerialAction& s) const { write_list(w, s.actions, s.log_source); }
  void operator()(const CodependentAction& c) const { write_list(w, c.actions, c.log_source); }
};

// --- reading ---

class Decoder {
 public:
  explicit Decoder(const ActionLimits& limits) : limits_(limits) {}

  // The action object at member `key` of `parent`, `depth` levels down.
  void action(json::ObjectReader& parent, const std::string& key, const json::Value& v, Action& out,
              unsigned depth) {
    if (!v.IsObject()) {
      parent.problem(key, "expected an action object, got " + std::string(json::type_name(v)));
      return;
    }
    if (depth > limits_.max_depth) {
      parent.problem(
          key, "actions are nested deeper than " + std::to_string(limits_.max_depth) + " levels");
      return;
    }
    if (++count_ > limits_.max_actions) {
      if (count_ == limits_.max_actions + 1) {
        parent.problem(
            key, "the tree has more than " + std::to_string(limits_.max_actions) + " actions");
      }
      return;
    }
    std::vector<std::string> kinds;
    bool unknown = false;
    for (const auto& m : v.GetObject()) {
      if (m.value.IsNull()) continue;
      std::string name(m.name.GetString(), m.name.GetStringLength());
      if (find_kind(name)) {
        kinds.push_back(std::move(name));
      } else {
        parent.problem(key, "unknown action \"" + name + "\"");
        unknown = true;
      }
    }
    if (kinds.size() > 1) {
      std::string names;
      for (const auto& k : kinds) names += (names.empty() ? "" : ", ") + k;
      parent.problem(key, "expected exactly one action, got " + std::to_string(kinds.size()) +
                              " (" + names + ")");
      return;
    }
    if (kinds.empty()) {
      if (!unknown) parent.problem(key, "expected exactly one action, got none");
      return;
    }
    json::ObjectReader at(v, parent.path_of(key), parent);
    auto body = at.object(kinds[0], true);
    (this->*find_kind(kinds[0]))(body, out, depth);
  }

 private:
  using KindReader = void (Decoder::*)(json::ObjectReader&, Action&, unsigned);

  // The one list of action kinds the wire knows.
  static KindReader find_kind(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, KindReader>, 9> kKinds = {{
        {"download", &Decoder::download},
        {"upload", &Decoder::upload},
        {"run", &Decoder::run},
        {"timeout", &Decoder::timeout},
        {"emit_progress", &Decoder::emit_progress},
        {"try", &Decoder::try_},
        {"parallel", &Decoder::list<ParallelAction>},
        {"serial", &Decoder::list<SerialAction>},
        {"codependent", &Decoder::list<CodependentAction>},
    }};
    for (const auto& [n, reader] : kKinds) {
      if (n == name) return reader;
    }
    return nullptr;
  }

  void nested(json::ObjectReader& r, ActionBox& out, unsigned depth) {
    const auto* v = r.find("action");
    if (!v || v->IsNull()) {
      r.problem("action", "is required");
      return;
    }
    action(r, "action", *v, *out, depth + 1);
  }

  void download(json::ObjectReader& r, Action& out, unsigned) {
    DownloadAction d;
    r.optional("artifact", d.artifact);
    r.required("from", d.from);
    r.required("to", d.to);
    r.optional("cache_key", d.cache_key);
    r.optional("log_source", d.log_source);
    r.optional("user", d.user);
    r.optional("checksum_algorithm", d.checksum_algorithm);
    r.optional("checksum_value", d.checksum_value);
    out.value = std::move(d);
  }
  void upload(json::ObjectReader& r, Action& out, unsigned) {
    UploadAction u;
    r.optional("artifact", u.artifact);
    r.required("from", u.from);
    r.required("to", u.to);
    r.optional("log_source", u.log_source);
    r.optional("user", u.user);
    out.value = std::move(u);
  }
  void run(json::ObjectReader& r, Action& out, unsigned) {
    RunAction a;
    r.required("path", a.path);
    r.optional("args", a.args);
    r.optional("dir", a.dir);
    read_env(r, a.env);
    auto limits = r.object("resource_limits");
    limits.optional("nofile", a.resource_limits.nofile);
    r.optional("user", a.user);
    r.optional("log_source", a.log_source);
    r.optional("suppress_log_output", a.suppress_log_output);
    out.value = std::move(a);
  }
  void timeout(json::ObjectReader& r, Action& out, unsigned depth) {
    TimeoutAction t;
    nested(r, t.action, depth);
    r.required("timeout_ms", t.timeout_ms);
    r.optional("log_source", t.log_source);
    out.value = std::move(t);
  }
  void emit_progress(json::ObjectReader& r, Action& out, unsigned depth) {
    EmitProgressAction e;
    nested(r, e.action, depth);
    r.optional("start_message", e.start_message);
    r.optional("success_message", e.success_message);
    r.optional("failure_message_prefix", e.failure_message_prefix);
    r.optional("log_source", e.log_source);
    out.value = std::move(e);
  }
  void try_(json::ObjectReader& r, Action& out, unsigned depth) {
    TryAction t;
    nested(r, t.action, depth);
    r.optional("log_source", t.log_source);
    out.value = std::move(t);
  }
  template <class List>
  void list(json::ObjectReader& r, Action& out, unsigned depth) {
    List l;
    r.optional("log_source", l.log_source);
    const auto* v = r.find("actions");
    if (!v || v->IsNull()) {
      r.problem("actions", "is required");
    } else if (!v->IsArray()) {
      r.problem("actions", "expected an array, got " + std::string(json::type_name(*v)));
    } else {
      l.actions.resize(v->Size());
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        action(r, "actions[" + std::to_string(i) + "]", (*v)[i], l.actions[i], depth + 1);
      }
    }
    out.value = std::move(l);
  }

  const ActionLimits& limits_;
  std::size_t count_ = 0;
};

}  // namespace

void write(json::Writer& w, const Action& action) {
  w.start_object().key(action_kind(action));
  std::visit(BodyWriter{w}, action.value);
  w.end_object();
}

std::string encode_action(const Action& action) {
  json::Writer w;
  write(w, action);
  return w.str();
}

void read_action(json::ObjectReader& parent, std::string_view key, Action& out,
                 const ActionLimits& limits) {
  const auto* v = parent.find(key);
  if (!v || v->IsNull()) {
    parent.problem(key, "is required");
    return;
  }
  Decoder(limits).action(parent, std::string(key), *v, out, 1);
}

Result<Action> decode_action(std::string_view text, std::string_view root,
                             const ActionLimits& limits) {
  // Each level of actions is up to three levels of JSON ({"serial": {"actions": [...]}}).
  auto doc = json::parse(text, json::ParseLimits{.max_depth = limits.max_depth * 3 + 4});
  if (!doc) return std::move(doc).error();
  static const json::Value kRoot(rapidjson::kObjectType);
  json::ObjectReader parent(kRoot);
  Action out;
  Decoder(limits).action(parent, std::string(root), *doc, out, 1);
  if (auto s = parent.status(root); !s) return std::move(s).error();
  return out;
}

Result<Action> parse_action(std::string_view text, std::string_view root,
                            const ActionLimits& limits) {
  auto action = decode_action(text, root, limits);
  if (!action) return action;
  auto problems = validate(*action, root);
  if (problems.empty()) return action;
  std::string msg = std::string(root) + " has " + std::to_string(problems.size()) + " problem" +
                    (problems.size() == 1 ? "" : "s") + ":";
  for (const auto& p : problems) msg += "\n  - " + p;
  return make_error(Errc::InvalidArgument, std::move(msg));
}

}  // namespace cupola::bbs
