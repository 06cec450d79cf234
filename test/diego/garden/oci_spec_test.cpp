#include "diego/garden/runc/oci_spec.h"

#include <catch2/catch.hpp>

#include "common/json/json.h"

using namespace cupola;
using namespace cupola::garden;

namespace {

json::Document parse(const std::string& text) {
  auto doc = json::parse(text);
  REQUIRE(doc.ok());
  return std::move(*doc);
}

runc::BundleOptions bundle() {
  runc::BundleOptions o;
  o.rootfs = "/depot/c1/bundle/rootfs";
  o.hostname = "c1";
  o.cgroups_path = "/cupola/c1";
  o.init_path = "/bin/cupola-garden-init";
  o.limits.memory_bytes = 64 << 20;
  o.limits.max_pids = 100;
  o.limits.cpu_shares = 512;
  o.bind_mounts = {{"/host/lifecycle", "/tmp/lifecycle", true}};
  return o;
}

}  // namespace

TEST_CASE("the container runs in new pid, ipc, uts and mount namespaces on the host network") {
  auto doc = parse(runc::config_json(bundle()));
  std::vector<std::string> types;
  for (const auto& ns : doc["linux"]["namespaces"].GetArray()) {
    types.emplace_back(ns["type"].GetString());
  }
  CHECK(types == std::vector<std::string>{"pid", "ipc", "uts", "mount"});
}

TEST_CASE("the init process has no capabilities and cannot gain privileges") {
  auto doc = parse(runc::config_json(bundle()));
  const auto& process = doc["process"];
  CHECK(process["noNewPrivileges"].GetBool());
  for (const auto& set : process["capabilities"].GetObject()) {
    INFO(set.name.GetString());
    CHECK(set.value.GetArray().Empty());
  }
  CHECK(std::string(process["args"][0].GetString()) == runc::kInitPath);
}

TEST_CASE("limits become cgroup resources") {
  auto o = bundle();
  o.swap_accounting = true;
  auto doc = parse(runc::config_json(o));
  const auto& res = doc["linux"]["resources"];
  CHECK(res["memory"]["limit"].GetUint64() == 64u << 20);
  CHECK(res["memory"]["swap"].GetUint64() == 64u << 20);
  CHECK(res["pids"]["limit"].GetUint64() == 100);
  CHECK(res["cpu"]["shares"].GetUint64() == 512);
  CHECK(std::string(doc["linux"]["cgroupsPath"].GetString()) == "/cupola/c1");
  // Every device is denied but the ones runc always allows (null, zero, urandom, ...).
  CHECK_FALSE(res["devices"][0]["allow"].GetBool());
}

TEST_CASE("no limit set means no cgroup limit written") {
  runc::BundleOptions o = bundle();
  o.limits = {};
  auto doc = parse(runc::config_json(o));
  CHECK_FALSE(doc["linux"]["resources"].HasMember("memory"));
  CHECK_FALSE(doc["linux"]["resources"].HasMember("pids"));
}

TEST_CASE("mounts give a tmpfs /tmp, the init binary read-only and the bind mounts") {
  auto doc = parse(runc::config_json(bundle()));
  bool tmp = false, init = false, lifecycle = false;
  for (const auto& m : doc["mounts"].GetArray()) {
    std::string dest = m["destination"].GetString();
    std::string opts;
    for (const auto& o : m["options"].GetArray()) opts += std::string(o.GetString()) + ",";
    if (dest == "/tmp") {
      tmp = std::string(m["type"].GetString()) == "tmpfs" &&
            opts.find("size=65536k") != std::string::npos;
    }
    if (dest == runc::kInitPath) init = opts.find("ro,") != std::string::npos;
    if (dest == "/tmp/lifecycle") {
      lifecycle = std::string(m["source"].GetString()) == "/host/lifecycle" &&
                  opts.find("ro,") != std::string::npos;
    }
  }
  CHECK(tmp);
  CHECK(init);
  CHECK(lifecycle);
}

TEST_CASE("seccomp denies the kernel's administration calls with EPERM and allows the rest") {
  auto doc = parse(runc::config_json(bundle()));
  const auto& seccomp = doc["linux"]["seccomp"];
  CHECK(std::string(seccomp["defaultAction"].GetString()) == "SCMP_ACT_ALLOW");
  std::vector<std::string> names;
  for (const auto& n : seccomp["syscalls"][0]["names"].GetArray())
    names.emplace_back(n.GetString());
  for (const char* call : {"mount", "unshare", "setns", "init_module", "reboot", "bpf", "keyctl"}) {
    INFO(call);
    CHECK(std::find(names.begin(), names.end(), call) != names.end());
  }
  CHECK(seccomp["syscalls"][0]["errnoRet"].GetUint() == 1);
}

TEST_CASE("a process's env follows the container's, later names win, PATH is added") {
  ProcessSpec spec;
  spec.path = "/bin/sh";
  spec.args = {"-c", "env"};
  spec.env = {{"PORT", "61001"}, {"A", "process"}};
  auto doc = parse(runc::process_json(spec, {{"A", "container"}, {"B", "container"}}, 2000));
  std::vector<std::string> env;
  for (const auto& e : doc["env"].GetArray()) env.emplace_back(e.GetString());
  CHECK(env == std::vector<std::string>{"A=process", "B=container", "PORT=61001",
                                        "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/home/vcap",
                                        "USER=vcap"});
  CHECK(doc["user"]["uid"].GetUint() == 2000);
  CHECK(std::string(doc["cwd"].GetString()) == "/home/vcap");
  CHECK(doc["args"].Size() == 3);
  CHECK(doc["rlimits"][0]["soft"].GetUint64() == 16384);
  CHECK(doc["capabilities"]["effective"].Empty());
}
