#include "gorouter/rules/hop_by_hop.h"

#include <array>
#include <vector>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

constexpr std::array<std::string_view, 9> kHopByHop = {
    "Connection",
    "Proxy-Connection",
    "Keep-Alive",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Te",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
};

}  // namespace

std::span<const std::string_view> hop_by_hop_names() noexcept { return kHopByHop; }

std::string_view upgrade_protocol(const HeaderList& headers) noexcept {
  if (!has_token(headers, kConnection, "upgrade")) return {};
  return header_value(headers, kUpgrade);
}

void remove_hop_by_hop(HeaderList& headers) {
  // The names the Connection lines list, joined (usually short enough to need no allocation).
  std::string listed;
  for (const Header& h : headers) {
    if (iequals(h.name, kConnection)) listed.append(h.value).push_back(',');
  }
  auto is_listed = [&](std::string_view name) {
    bool found = false;
    for_each_list_element(listed, [&](std::string_view e) { found = found || iequals(e, name); });
    return found;
  };
  std::erase_if(headers, [&](const Header& h) {
    for (std::string_view name : kHopByHop) {
      if (iequals(h.name, name)) return true;
    }
    return !listed.empty() && is_listed(h.name);
  });
}

void apply_hop_by_hop_filter(RequestRuleContext& ctx) {
  const auto& filter = ctx.options.hop_by_hop_headers_to_filter;
  if (filter.empty()) return;
  for (Header& h : ctx.headers) {
    if (!iequals(h.name, kConnection) || h.value.empty()) continue;
    std::string kept;
    bool first = true;
    std::string_view rest = h.value;
    // Every element is kept trimmed, empty ones included, as gorouter rewrites the line.
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view element = trim(rest.substr(0, comma));
      bool filtered = false;
      for (const std::string& name : filter) filtered = filtered || iequals(name, element);
      if (!filtered) {
        if (!first) kept += ", ";
        kept += element;
        first = false;
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    h.value = std::move(kept);
  }
}

void apply_remove_hop_by_hop(RequestRuleContext& ctx) {
  const std::string upgrade(upgrade_protocol(ctx.headers));
  const bool trailers = has_token(ctx.headers, kTe, "trailers");
  remove_hop_by_hop(ctx.headers);
  if (trailers) set_header(ctx.headers, kTe, "trailers");
  if (!upgrade.empty()) {
    set_header(ctx.headers, kConnection, "Upgrade");
    set_header(ctx.headers, kUpgrade, upgrade);
  }
}

}  // namespace cupola::router::rules
