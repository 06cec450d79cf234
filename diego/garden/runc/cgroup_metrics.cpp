#include <fstream>
#include <sstream>
#include <string>

#include "diego/garden/runc/runc_container.h"

namespace cupola::garden {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";

std::uint64_t read_number(const std::string& path) {
  std::ifstream in(path);
  std::uint64_t v = 0;
  in >> v;
  return v;
}

// The value of `key` in a "key value" per line file (memory.stat, memory.events).
std::uint64_t read_keyed(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string k;
  std::uint64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

std::string v1_dir(const std::string& controller, const std::string& cgroup) {
  for (const std::string& mount : {controller, std::string("cpu,cpuacct")}) {
    std::string dir = std::string(kCgroupRoot) + "/" + mount + cgroup;
    if (std::ifstream(dir + "/cgroup.procs")) return dir;
  }
  return std::string(kCgroupRoot) + "/" + controller + cgroup;
}

}  // namespace

Metrics read_cgroup_metrics(const std::string& cgroup, bool v2) {
  Metrics m;
  if (v2) {
    std::string dir = std::string(kCgroupRoot) + cgroup;
    std::uint64_t current = read_number(dir + "/memory.current");
    std::uint64_t inactive = read_keyed(dir + "/memory.stat", "inactive_file");
    m.memory_bytes = current > inactive ? current - inactive : 0;
    m.cpu_ns = read_keyed(dir + "/cpu.stat", "usage_usec") * 1000;
    m.oom_kills = read_keyed(dir + "/memory.events", "oom_kill");
    return m;
  }
  std::string memory = v1_dir("memory", cgroup);
  std::uint64_t usage = read_number(memory + "/memory.usage_in_bytes");
  std::uint64_t inactive = read_keyed(memory + "/memory.stat", "total_inactive_file");
  m.memory_bytes = usage > inactive ? usage - inactive : 0;
  m.cpu_ns = read_number(v1_dir("cpuacct", cgroup) + "/cpuacct.usage");
  m.oom_kills = read_keyed(memory + "/memory.oom_control", "oom_kill");
  return m;
}

}  // namespace cupola::garden
