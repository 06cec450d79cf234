#include "bbs/api/codec/codec.h"
#include "bbs/api/codec/raw.h"

namespace cupola::bbs {

void write(json::Writer& w, const ModificationTag& tag) {
  w.start_object().field("epoch", tag.epoch).field("index", tag.index).end_object();
}

void read(json::ObjectReader& r, ModificationTag& tag) {
  r.optional("epoch", tag.epoch);
  r.optional("index", tag.index);
}

namespace {

void write_key_fields(json::Writer& w, const ActualLrpKey& key) {
  w.field("process_guid", key.process_guid).field("index", key.index).field("domain", key.domain);
}
void write_instance_fields(json::Writer& w, const ActualLrpInstanceKey& key) {
  w.field("instance_guid", key.instance_guid).field("cell_id", key.cell_id);
}
void write_net_fields(json::Writer& w, const ActualLrpNetInfo& net) {
  w.field("address", net.address);
  w.key("ports").start_array();
  for (const auto& p : net.ports) {
    w.start_object()
        .field("container_port", p.container_port)
        .field("host_port", p.host_port)
        .end_object();
  }
  w.end_array();
  if (!net.instance_address.empty()) w.field("instance_address", net.instance_address);
}

}  // namespace

void write(json::Writer& w, const ActualLrpKey& key) {
  w.start_object();
  write_key_fields(w, key);
  w.end_object();
}
void write(json::Writer& w, const ActualLrpInstanceKey& key) {
  w.start_object();
  write_instance_fields(w, key);
  w.end_object();
}
void write(json::Writer& w, const ActualLrpNetInfo& net) {
  w.start_object();
  write_net_fields(w, net);
  w.end_object();
}

void write(json::Writer& w, const ActualLrp& lrp) {
  w.start_object();
  write_key_fields(w, lrp.key);
  write_instance_fields(w, lrp.instance_key);
  write_net_fields(w, lrp.net_info);
  w.field("state", to_string(lrp.state));
  w.field("presence", to_string(lrp.presence));
  w.field("crash_count", lrp.crash_count);
  if (!lrp.crash_reason.empty()) w.field("crash_reason", lrp.crash_reason);
  if (!lrp.placement_error.empty()) w.field("placement_error", lrp.placement_error);
  w.field("since", static_cast<long long>(lrp.since));
  w.key("modification_tag");
  write(w, lrp.modification_tag);
  w.field("routable", lrp.routable);
  w.field("availability_zone", lrp.availability_zone);
  w.end_object();
}

void read(json::ObjectReader& r, ActualLrpKey& key) {
  r.required("process_guid", key.process_guid);
  r.required("index", key.index);
  r.optional("domain", key.domain);
}

void read(json::ObjectReader& r, ActualLrpInstanceKey& key) {
  r.optional("instance_guid", key.instance_guid);
  r.optional("cell_id", key.cell_id);
}

void read(json::ObjectReader& r, ActualLrpNetInfo& net) {
  r.optional("address", net.address);
  r.optional("instance_address", net.instance_address);
  if (const auto* ports = r.find("ports"); ports && !ports->IsNull()) {
    if (!ports->IsArray()) {
      r.problem("ports", "expected an array");
      return;
    }
    for (rapidjson::SizeType i = 0; i < ports->Size(); ++i) {
      json::ObjectReader pr((*ports)[i], r.path_of("ports[" + std::to_string(i) + "]"), r);
      PortMapping pm;
      pr.required("container_port", pm.container_port);
      pr.optional("host_port", pm.host_port);
      net.ports.push_back(pm);
    }
  }
}

void read(json::ObjectReader& r, ActualLrp& lrp) {
  read(r, lrp.key);
  read(r, lrp.instance_key);
  read(r, lrp.net_info);
  read_enum(r, "state", lrp.state, parse_actual_lrp_state);
  read_enum(r, "presence", lrp.presence, parse_presence);
  r.optional("crash_count", lrp.crash_count);
  r.optional("crash_reason", lrp.crash_reason);
  r.optional("placement_error", lrp.placement_error);
  r.optional("since", lrp.since);
  auto tag = r.object("modification_tag");
  read(tag, lrp.modification_tag);
  r.optional("routable", lrp.routable);
  r.optional("availability_zone", lrp.availability_zone);
}

}  // namespace cupola::bbs
