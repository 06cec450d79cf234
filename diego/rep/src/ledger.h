#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "diego/auction/types.h"

namespace cupola::rep {

// The cell's capacity and what its containers hold of it, by key (an instance guid or a
// task guid). A reservation is made when the auction's work is accepted, before anything
// runs, so that two performs never over-commit the cell. Not thread-safe.
class Ledger {
 public:
  explicit Ledger(auction::Resources total) : total_(total) {}

  // False, reserving nothing, when the cell lacks memory, disk or a container, or the key
  // is already held.
  bool reserve(const std::string& key, std::int64_t memory_mb, std::int64_t disk_mb);
  void release(const std::string& key);
  bool holds(const std::string& key) const { return held_.contains(key); }

  const auction::Resources& total() const { return total_; }
  auction::Resources available() const;
  // Why `reserve` would refuse, in Cloud Foundry's words ("insufficient resources: memory");
  // empty when it would not.
  std::string shortfall(std::int64_t memory_mb, std::int64_t disk_mb) const;

 private:
  auction::Resources total_;
  auction::Resources used_;
  std::map<std::string, auction::Resources> held_;
};

}  // namespace cupola::rep
