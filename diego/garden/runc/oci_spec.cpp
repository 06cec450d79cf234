#include "diego/garden/runc/oci_spec.h"

#include <algorithm>
#include <map>

#include "common/json/json.h"

namespace cupola::garden::runc {
namespace {

constexpr std::uint64_t kDefaultNofile = 16384;
constexpr std::uint64_t kDefaultTmpBytes = 64ull * 1024 * 1024;
constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

void string_array(json::Writer& w, const std::vector<std::string>& values) {
  w.start_array();
  for (const auto& v : values) w.value(v);
  w.end_array();
}

void no_capabilities(json::Writer& w) {
  w.key("capabilities").start_object();
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    w.key(set).start_array().end_array();
  }
  w.end_object();
}

void rlimits(json::Writer& w, std::uint64_t nofile) {
  w.key("rlimits").start_array();
  w.start_object()
      .field("type", "RLIMIT_NOFILE")
      .field("hard", nofile)
      .field("soft", nofile)
      .end_object();
  w.end_array();
}

void mount(json::Writer& w, const std::string& dest, const std::string& type,
           const std::string& source, const std::vector<std::string>& options) {
  w.start_object().field("destination", dest).field("type", type).field("source", source);
  w.key("options");
  string_array(w, options);
  w.end_object();
}

void mounts(json::Writer& w, const BundleOptions& o) {
  std::uint64_t tmp = o.tmp_bytes == 0 ? kDefaultTmpBytes : o.tmp_bytes;
  w.key("mounts").start_array();
  mount(w, "/proc", "proc", "proc", {"nosuid", "noexec", "nodev"});
  mount(w, "/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"});
  mount(w, "/dev/pts", "devpts", "devpts",
        {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"});
  mount(w, "/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"});
  mount(w, "/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"});
  mount(w, "/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"});
  mount(w, "/tmp", "tmpfs", "tmpfs",
        {"nosuid", "nodev", "mode=1777", "size=" + std::to_string(tmp / 1024) + "k"});
  mount(w, kInitPath, "bind", o.init_path, {"bind", "ro", "nosuid", "nodev"});
  // Host networking: the host's resolver and hosts files, read-only.
  mount(w, "/etc/resolv.conf", "bind", "/etc/resolv.conf", {"bind", "ro", "nosuid", "nodev"});
  mount(w, "/etc/hosts", "bind", "/etc/hosts", {"bind", "ro", "nosuid", "nodev"});
  for (const auto& b : o.bind_mounts) {
    mount(w, b.container_path, "bind", b.host_path,
          {"rbind", b.read_only ? "ro" : "rw", "nosuid", "nodev"});
  }
  w.end_array();
}

void seccomp(json::Writer& w) {
  w.key("seccomp").start_object().field("defaultAction", "SCMP_ACT_ALLOW");
  w.key("architectures");
  string_array(w, {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"});
  w.key("syscalls").start_array();
  w.start_object().key("names");
  string_array(w, denied_syscalls());
  w.field("action", "SCMP_ACT_ERRNO").field("errnoRet", 1u).end_object();  // EPERM
  w.end_array().end_object();
}

void resources(json::Writer& w, const BundleOptions& o) {
  w.key("resources").start_object();
  w.key("devices").start_array();
  w.start_object().field("allow", false).field("access", "rwm").end_object();
  w.end_array();
  if (o.limits.memory_bytes > 0) {
    w.key("memory").start_object().field("limit", o.limits.memory_bytes);
    if (o.swap_accounting) w.field("swap", o.limits.memory_bytes);
    w.end_object();
  }
  if (o.limits.max_pids > 0) {
    w.key("pids").start_object().field("limit", o.limits.max_pids).end_object();
  }
  if (o.limits.cpu_shares > 0) {
    w.key("cpu").start_object().field("shares", o.limits.cpu_shares).end_object();
  }
  w.end_object();
}

}  // namespace

const std::vector<std::string>& denied_syscalls() {
  static const std::vector<std::string> names = {
      "acct",
      "add_key",
      "bpf",
      "clock_adjtime",
      "clock_settime",
      "create_module",
      "delete_module",
      "finit_module",
      "fsconfig",
      "fsmount",
      "fsopen",
      "fspick",
      "get_kernel_syms",
      "init_module",
      "ioperm",
      "iopl",
      "kexec_file_load",
      "kexec_load",
      "keyctl",
      "lookup_dcookie",
      "mount",
      "mount_setattr",
      "move_mount",
      "name_to_handle_at",
      "nfsservctl",
      "open_by_handle_at",
      "open_tree",
      "perf_event_open",
      "personality",
      "pivot_root",
      "quotactl",
      "reboot",
      "request_key",
      "setns",
      "settimeofday",
      "stime",
      "swapoff",
      "swapon",
      "syslog",
      "umount",
      "umount2",
      "unshare",
      "uselib",
      "userfaultfd",
      "ustat",
      "vhangup",
      "adjtimex",
      "_sysctl",
  };
  return names;
}

std::string config_json(const BundleOptions& o) {
  json::Writer w;
  w.start_object().field("ociVersion", "1.0.2");
  w.key("process").start_object().field("terminal", false);
  w.key("user").start_object().field("uid", 0u).field("gid", 0u).end_object();
  w.key("args");
  string_array(w, {kInitPath});
  w.key("env");
  string_array(w, {std::string("PATH=") + kDefaultPath});
  w.field("cwd", "/");
  no_capabilities(w);
  rlimits(w, kDefaultNofile);
  w.field("noNewPrivileges", true);
  w.end_object();
  w.key("root").start_object().field("path", o.rootfs).field("readonly", false).end_object();
  w.field("hostname", o.hostname.substr(0, 63));
  mounts(w, o);
  w.key("linux").start_object();
  w.field("cgroupsPath", o.cgroups_path);
  resources(w, o);
  w.key("namespaces").start_array();
  for (const char* ns : {"pid", "ipc", "uts", "mount"}) {
    w.start_object().field("type", ns).end_object();
  }
  w.end_array();
  w.key("maskedPaths");
  string_array(w, {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                   "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                   "/sys/firmware"});
  w.key("readonlyPaths");
  string_array(w, {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"});
  seccomp(w);
  w.end_object();
  w.end_object();
  return w.str();
}

std::string process_json(const ProcessSpec& spec, const std::vector<EnvVar>& container_env,
                         unsigned uid) {
  // A later definition of a name replaces an earlier one, keeping the first position.
  std::vector<EnvVar> env;
  std::map<std::string, std::size_t> at;
  auto put = [&](const EnvVar& e) {
    auto it = at.find(e.first);
    if (it != at.end()) {
      env[it->second].second = e.second;
    } else {
      at.emplace(e.first, env.size());
      env.push_back(e);
    }
  };
  for (const auto& e : container_env) put(e);
  for (const auto& e : spec.env) put(e);
  if (!at.contains("PATH")) put({"PATH", kDefaultPath});
  if (!at.contains("HOME")) put({"HOME", uid == 0 ? "/root" : "/home/vcap"});
  if (!at.contains("USER")) put({"USER", uid == 0 ? "root" : "vcap"});

  json::Writer w;
  w.start_object().field("terminal", false);
  w.key("user").start_object().field("uid", uid).field("gid", uid).end_object();
  std::vector<std::string> args{spec.path};
  args.insert(args.end(), spec.args.begin(), spec.args.end());
  w.key("args");
  string_array(w, args);
  w.key("env").start_array();
  for (const auto& [name, value] : env) w.value(name + "=" + value);
  w.end_array();
  w.field("cwd", spec.dir.empty() ? (uid == 0 ? "/root" : "/home/vcap") : spec.dir);
  no_capabilities(w);
  rlimits(w, spec.nofile == 0 ? kDefaultNofile : spec.nofile);
  w.field("noNewPrivileges", true);
  w.end_object();
  return w.str();
}

}  // namespace cupola::garden::runc
