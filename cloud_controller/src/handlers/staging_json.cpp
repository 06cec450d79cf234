#include "cloud_controller/src/handlers/staging_json.h"

namespace cupola::cc {

namespace {

void link(json::Writer& w, std::string_view name, const std::string& href,
          const char* method = nullptr) {
  w.key(name).start_object().field("href", href);
  if (method != nullptr) w.field("method", method);
  w.end_object();
}

void app_relationship(json::Writer& w, const std::string& app_guid) {
  w.key("relationships").start_object().key("app").start_object().key("data").start_object();
  w.field("guid", app_guid).end_object().end_object().end_object();
}

void optional_text(json::Writer& w, std::string_view key, const std::optional<std::string>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.value(nullptr);
  }
}

}  // namespace

void write_package(json::Writer& w, const Urls& urls, const Package& p) {
  std::string self = urls.api + "/v3/packages/" + p.guid;
  w.start_object();
  w.field("guid", p.guid).field("created_at", p.created_at).field("updated_at", p.updated_at);
  w.field("type", p.type).field("state", p.state);
  w.key("data").start_object();
  w.key("checksum").start_object().field("type", "sha256");
  optional_text(w, "value", p.sha256);
  w.end_object();
  optional_text(w, "error", p.error);
  w.end_object();
  app_relationship(w, p.app_guid);
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "upload", self + "/upload", "POST");
  link(w, "download", self + "/download", "GET");
  link(w, "app", urls.api + "/v3/apps/" + p.app_guid);
  w.end_object();
  w.end_object();
}

void write_build(json::Writer& w, const Urls& urls, const Build& b) {
  w.start_object();
  w.field("guid", b.guid).field("created_at", b.created_at).field("updated_at", b.updated_at);
  w.field("state", b.state);
  w.field("staging_memory_in_mb", b.staging_memory_in_mb);
  w.field("staging_disk_in_mb", b.staging_disk_in_mb);
  w.field("staging_log_rate_limit_bytes_per_second", -1);
  optional_text(w, "error", b.error);
  w.key("lifecycle").raw(b.lifecycle_json);
  w.key("package").start_object().field("guid", b.package_guid).end_object();
  w.key("droplet");
  if (b.state == "STAGED" && b.droplet_guid) {
    w.start_object().field("guid", *b.droplet_guid).end_object();
  } else {
    w.value(nullptr);
  }
  w.key("created_by").start_object().field("guid", b.created_by_guid);
  w.field("name", b.created_by_name).field("email", "").end_object();
  app_relationship(w, b.app_guid);
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/builds/" + b.guid);
  link(w, "app", urls.api + "/v3/apps/" + b.app_guid);
  if (b.state == "STAGED" && b.droplet_guid) {
    link(w, "droplet", urls.api + "/v3/droplets/" + *b.droplet_guid);
  }
  w.end_object();
  w.end_object();
}

void write_droplet(json::Writer& w, const Urls& urls, const Droplet& d) {
  std::string self = urls.api + "/v3/droplets/" + d.guid;
  w.start_object();
  w.field("guid", d.guid).field("created_at", d.created_at).field("updated_at", d.updated_at);
  w.field("state", d.state);
  optional_text(w, "error", d.error);
  w.key("lifecycle").start_object().field("type", "buildpack");
  w.key("data").start_object().end_object().end_object();
  w.field("execution_metadata", d.execution_metadata);
  w.key("process_types");
  if (d.state == "STAGED") {
    w.raw(d.process_types_json);
  } else {
    w.value(nullptr);
  }
  w.key("checksum");
  if (d.sha256) {
    w.start_object().field("type", "sha256").field("value", *d.sha256).end_object();
  } else {
    w.value(nullptr);
  }
  w.key("buildpacks").raw(d.buildpacks_json);
  w.field("stack", d.stack);
  w.key("image").value(nullptr);
  app_relationship(w, d.app_guid);
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  if (d.package_guid) link(w, "package", urls.api + "/v3/packages/" + *d.package_guid);
  link(w, "app", urls.api + "/v3/apps/" + d.app_guid);
  link(w, "assign_current_droplet",
       urls.api + "/v3/apps/" + d.app_guid + "/relationships/current_droplet", "PATCH");
  if (d.state == "STAGED") link(w, "download", self + "/download");
  w.end_object();
  w.end_object();
}

}  // namespace cupola::cc
