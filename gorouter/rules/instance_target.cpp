#include "gorouter/rules/instance_target.h"

#include <fmt/format.h>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

bool lower_hex(std::string_view s) noexcept {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool lower_hex_guid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t dash : {8, 13, 18, 23}) {
    if (s[dash] != '-') return false;
  }
  return lower_hex(s.substr(0, 8)) && lower_hex(s.substr(9, 4)) && lower_hex(s.substr(14, 4)) &&
         lower_hex(s.substr(19, 4)) && lower_hex(s.substr(24));
}

std::string_view host_without_port(std::string_view host) noexcept {
  return host.substr(0, host.find(':'));
}

}  // namespace

Result<InstanceTarget> parse_app_instance(std::string_view value) {
  const std::string_view guid = value.substr(0, 36);
  if (value.size() < 38 || value[36] != ':' || !lower_hex_guid(guid) || !digits(value.substr(37))) {
    return make_error(Errc::InvalidArgument, fmt::format("invalid-app-instance-header: {}", value));
  }
  return InstanceTarget{InstanceTarget::By::App, std::string(guid), std::string(value.substr(37))};
}

Result<InstanceTarget> parse_process_instance(std::string_view value) {
  const std::string_view guid = value.substr(0, 36);
  const bool indexed = value.size() > 36;
  if (!lower_hex_guid(guid) || (indexed && (value[36] != ':' || !digits(value.substr(37))))) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("invalid-process-instance-header: {}", value));
  }
  return InstanceTarget{InstanceTarget::By::Process, std::string(guid),
                        indexed ? std::string(value.substr(37)) : std::string()};
}

Result<std::optional<InstanceTarget>> instance_target(const HeaderList& request_headers) {
  if (const std::string_view app = header_value(request_headers, kXCfAppInstance); !app.empty()) {
    auto target = parse_app_instance(app);
    if (!target) return std::move(target).error();
    return std::optional<InstanceTarget>(std::move(*target));
  }
  if (const std::string_view process = header_value(request_headers, kXCfProcessInstance);
      !process.empty()) {
    auto target = parse_process_instance(process);
    if (!target) return std::move(target).error();
    return std::optional<InstanceTarget>(std::move(*target));
  }
  return std::optional<InstanceTarget>();
}

std::vector<Endpoint> select_instances(std::span<const Endpoint> pool,
                                       const InstanceTarget& target) {
  std::vector<Endpoint> out;
  for (const Endpoint& e : pool) {
    const bool match = target.by == InstanceTarget::By::App
                           ? e.app_id == target.guid && e.instance_index == target.index
                           : e.process_id == target.guid &&
                                 (target.index.empty() || e.instance_index == target.index);
    if (match) out.push_back(e);
  }
  return out;
}

bool host_missing(std::string_view host, std::string_view remote_addr) noexcept {
  return host.empty() || host_without_port(host) == host_without_port(remote_addr);
}

}  // namespace cupola::router::rules
