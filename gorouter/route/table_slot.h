#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "gorouter/route/route_table.h"

namespace cupola::router {

// Where the route table's owner publishes snapshots and request threads find the newest one.
// store() is called by the owner; load() and generation() from any thread.
//
// Request threads read through a SnapshotCache, which costs one atomic load per request and
// takes the mutex only once per published snapshot. The mutex stands in for
// std::atomic<std::shared_ptr>: GCC 12's implementation releases its internal lock with
// relaxed ordering in load(), a data race under the C++ memory model that ThreadSanitizer
// reports.
class TableSlot {
 public:
  TableSlot() : current_(std::make_shared<const RouteTable>()) {}
  TableSlot(const TableSlot&) = delete;
  TableSlot& operator=(const TableSlot&) = delete;

  std::shared_ptr<const RouteTable> load() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  // The replaced snapshot is released outside the lock (its last owner frees what it alone
  // held).
  void store(std::shared_ptr<const RouteTable> table) {
    {
      std::lock_guard lock(mu_);
      current_.swap(table);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  // Changes with every store(): a cheap way to tell a cached snapshot is out of date.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RouteTable> current_;
  std::atomic<std::uint64_t> generation_{0};
};

// One request thread's view of a slot: the snapshot it last loaded, reloaded only when the
// slot's generation moved, so that the request path reads one shared counter instead of
// contending on the slot's shared_ptr. Not thread-safe: one per thread (or per io_context).
class SnapshotCache {
 public:
  explicit SnapshotCache(const TableSlot& slot)
      : slot_(&slot), generation_(slot.generation()), table_(slot.load()) {}

  const RouteTable& get() { return *shared(); }
  const std::shared_ptr<const RouteTable>& shared() {
    std::uint64_t g = slot_->generation();
    if (g != generation_) {
      table_ = slot_->load();
      generation_ = g;
    }
    return table_;
  }

 private:
  const TableSlot* slot_;
  std::uint64_t generation_;
  std::shared_ptr<const RouteTable> table_;
};

}  // namespace cupola::router
