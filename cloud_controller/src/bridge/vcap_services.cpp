#include "cloud_controller/src/bridge/vcap_services.h"

#include <map>

#include "common/json/json.h"

namespace cupola::cc {

std::string vcap_services(const std::vector<BoundService>& bound, const SecretBox& secrets) {
  std::map<std::string, std::vector<const BoundService*>> by_label;
  for (const auto& b : bound) {
    bool managed = b.instance.type == "managed" && !b.instance.offering_name.empty();
    by_label[managed ? b.instance.offering_name : "user-provided"].push_back(&b);
  }
  json::Writer w;
  w.start_object();
  for (const auto& [label, list] : by_label) {
    w.key(label).start_array();
    for (const auto* b : list) {
      w.start_object().field("label", label);
      w.key("provider").value(nullptr).key("plan");
      if (b->instance.plan_name.empty()) {
        w.value(nullptr);
      } else {
        w.value(b->instance.plan_name);
      }
      w.field("name", b->binding.name.value_or(b->instance.name));
      w.key("tags").raw(b->instance.tags_json);
      w.field("instance_guid", b->instance.guid).field("instance_name", b->instance.name);
      w.field("binding_guid", b->binding.guid).key("binding_name");
      if (b->binding.name) {
        w.value(*b->binding.name);
      } else {
        w.value(nullptr);
      }
      auto opened = secrets.open(b->binding.credentials_sealed);
      auto creds = opened ? json::parse(*opened) : Result<json::Document>(opened.error());
      w.key("credentials");
      if (creds && creds->IsObject()) {
        w.value(*creds);
      } else {
        w.start_object().end_object();
      }
      w.key("syslog_drain_url");
      if (b->binding.syslog_drain_url) {
        w.value(*b->binding.syslog_drain_url);
      } else {
        w.value(nullptr);
      }
      w.key("volume_mounts").start_array().end_array();
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.str();
}

}  // namespace cupola::cc
