#pragma once

// A cold start of a whole foundation: many apps of mixed sizes and instance counts, in a
// random-looking but reproducible order.

#include <cstdint>
#include <vector>

#include "diego/auction/types.h"

namespace cupola::bench {

// LRP starts totalling exactly `instances` instances, all on "preloaded:cflinuxfs4":
// half the apps have one instance, a third 2-5, the rest 10-20; memory is 128 MB (30%),
// 256 (30%), 512 (25%), 1024 (12%) or 2048 (3%), with disk twice the memory. The same
// `seed` gives the same workload.
std::vector<auction::LrpStart> cold_start(std::int64_t instances, std::uint64_t seed);

}  // namespace cupola::bench
