#include "bench/auction/workload.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace cupola::bench {
namespace {

// splitmix64: small, fast and the same on every platform, unlike std's distributions.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t x = (state_ += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

std::string guid(Random& random) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx-%016llx", static_cast<unsigned long long>(random.next()),
                static_cast<unsigned long long>(random.next()));
  return buf;
}

int instance_count(Random& random) {
  const int p = random.below(100);
  if (p < 50) return 1;
  if (p < 83) return 2 + random.below(4);
  return 10 + random.below(11);
}

std::int64_t memory_mb(Random& random) {
  const int p = random.below(100);
  if (p < 30) return 128;
  if (p < 60) return 256;
  if (p < 85) return 512;
  if (p < 97) return 1024;
  return 2048;
}

}  // namespace

std::vector<auction::LrpStart> cold_start(std::int64_t instances, std::uint64_t seed) {
  Random random(seed);
  std::vector<auction::LrpStart> starts;
  std::int64_t total = 0;
  while (total < instances) {
    auction::LrpStart s;
    s.process_guid = guid(random);
    s.domain = "cf-apps";
    const int count =
        static_cast<int>(std::min<std::int64_t>(instance_count(random), instances - total));
    for (int i = 0; i < count; ++i) s.indices.push_back(i);
    const std::int64_t memory = memory_mb(random);
    s.demand = {.memory_mb = memory, .disk_mb = 2 * memory, .max_pids = 1024};
    s.constraint.root_fs = "preloaded:cflinuxfs4";
    total += count;
    starts.push_back(std::move(s));
  }
  return starts;
}

}  // namespace cupola::bench
