#include "diego/rep/src/ledger.h"

namespace cupola::rep {

auction::Resources Ledger::available() const {
  return {total_.memory_mb - used_.memory_mb, total_.disk_mb - used_.disk_mb,
          total_.containers - used_.containers};
}

std::string Ledger::shortfall(std::int64_t memory_mb, std::int64_t disk_mb) const {
  auto free = available();
  std::string missing;
  auto add = [&](const char* what) {
    missing += (missing.empty() ? "" : ", ") + std::string(what);
  };
  if (memory_mb > free.memory_mb) add("memory");
  if (disk_mb > free.disk_mb) add("disk");
  if (free.containers < 1) add("containers");
  return missing.empty() ? "" : "insufficient resources: " + missing;
}

bool Ledger::reserve(const std::string& key, std::int64_t memory_mb, std::int64_t disk_mb) {
  if (held_.contains(key) || !shortfall(memory_mb, disk_mb).empty()) return false;
  auction::Resources r{memory_mb, disk_mb, 1};
  held_.emplace(key, r);
  used_.memory_mb += r.memory_mb;
  used_.disk_mb += r.disk_mb;
  used_.containers += 1;
  return true;
}

void Ledger::release(const std::string& key) {
  auto it = held_.find(key);
  if (it == held_.end()) return;
  used_.memory_mb -= it->second.memory_mb;
  used_.disk_mb -= it->second.disk_mb;
  used_.containers -= it->second.containers;
  held_.erase(it);
}

}  // namespace cupola::rep
