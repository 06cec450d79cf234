#include "diego/auction/reasons.h"

namespace cupola::auction {

std::string insufficient_resources(std::uint8_t problems) {
  std::string out = "insufficient resources";
  const char* separator = ": ";
  struct Name {
    ResourceProblem bit;
    const char* name;
  };
  // Alphabetical, as the reference sorts the names before joining them.
  static constexpr Name kNames[] = {
      {kContainers, "containers"}, {kDisk, "disk"}, {kMemory, "memory"}};
  for (const auto& [bit, name] : kNames) {
    if ((problems & bit) == 0) continue;
    out += separator;
    out += name;
    separator = ", ";
  }
  return out;
}

std::string placement_tag_mismatch(const std::vector<std::string>& tags) {
  const std::string prefix = "found no compatible cell with ";
  if (tags.empty()) return prefix + "no placement tags";
  if (tags.size() == 1) return prefix + "placement tag \"" + tags[0] + "\"";
  std::string out = prefix + "placement tags ";
  for (std::size_t i = 0; i + 1 < tags.size(); ++i) {
    if (i > 0) out += ", ";
    out += "\"" + tags[i] + "\"";
  }
  return out + " and \"" + tags.back() + "\"";
}

}  // namespace cupola::auction
