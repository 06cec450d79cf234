#pragma once

// Internal to convergence: ordering rows and desired LRPs by process guid, cheaply.

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cupola::bbs::detail {

// A process guid with its first eight bytes as a big-endian number, which settles most
// comparisons without reading the string (sorting and merging dominate a pass at 100k rows).
struct GuidKey {
  std::uint64_t prefix = 0;
  std::string_view guid;

  explicit GuidKey(std::string_view g) : guid(g) {
    for (std::size_t i = 0; i < 8; ++i) {
      prefix = (prefix << 8) | (i < g.size() ? static_cast<unsigned char>(g[i]) : 0U);
    }
  }
  int compare(const GuidKey& o) const {
    if (prefix != o.prefix) return prefix < o.prefix ? -1 : 1;
    return guid.compare(o.guid);
  }
};

// One item and the key it was sorted by.
template <class T>
struct Sorted {
  GuidKey key;
  std::int64_t rank;
  const T* item;
};

// Pointers to `items` in (guid, rank) order; items with equal keys keep their input order.
// The result points into `items`, which must outlive it.
template <class T, class Guid, class Rank>
std::vector<Sorted<T>> sorted(const std::vector<T>& items, Guid guid, Rank rank) {
  std::vector<Sorted<T>> out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back({GuidKey(guid(item)), rank(item), &item});
  std::stable_sort(out.begin(), out.end(), [](const Sorted<T>& a, const Sorted<T>& b) {
    const int c = a.key.compare(b.key);
    return c != 0 ? c < 0 : a.rank < b.rank;
  });
  return out;
}

}  // namespace cupola::bbs::detail
