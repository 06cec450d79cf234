#include "diego/route_emitter/src/routing_table.h"

#include <algorithm>
#include <set>

namespace cupola::route_emitter {

void Messages::append(Messages other) {
  registrations.insert(registrations.end(), std::make_move_iterator(other.registrations.begin()),
                       std::make_move_iterator(other.registrations.end()));
  unregistrations.insert(unregistrations.end(),
                         std::make_move_iterator(other.unregistrations.begin()),
                         std::make_move_iterator(other.unregistrations.end()));
}

RoutingTable::Registrations RoutingTable::registrations_of(const std::string& process_guid) const {
  Registrations out;
  auto d = desired_.find(process_guid);
  auto e = endpoints_.find(process_guid);
  if (d == desired_.end() || e == endpoints_.end()) return out;
  for (const auto& route : d->second.routes) {
    if (route.hostnames.empty()) continue;
    for (const auto& [instance_guid, ep] : e->second) {
      auto mapping = std::find_if(ep.ports.begin(), ep.ports.end(),
                                  [&](const auto& p) { return p.container_port == route.port; });
      if (mapping == ep.ports.end() || ep.address.empty()) continue;
      Key key{ep.address, mapping->host_port, instance_guid, route.route_service_url,
              route.isolation_segment};
      auto [it, inserted] = out.try_emplace(key);
      RegistryMessage& m = it->second;
      if (inserted) {
        m.host = ep.address;
        m.port = mapping->host_port;
        m.app = d->second.log_guid;
        m.private_instance_id = instance_guid;
        m.private_instance_index = std::to_string(ep.index);
        m.route_service_url = route.route_service_url;
        m.isolation_segment = route.isolation_segment;
        m.server_cert_domain_san = instance_guid;
        m.availability_zone = ep.zone;
        m.endpoint_updated_at_ns = ep.since;
        m.tags = {{"component", "route-emitter"}};
      }
      for (const auto& h : route.hostnames) {
        if (std::find(m.uris.begin(), m.uris.end(), h) == m.uris.end()) m.uris.push_back(h);
      }
    }
  }
  return out;
}

Messages RoutingTable::diff(const Registrations& before, const Registrations& after) {
  Messages m;
  for (const auto& [key, old] : before) {
    auto it = after.find(key);
    if (it == after.end()) {
      m.unregistrations.push_back(old);
      continue;
    }
    // Hostnames the endpoint lost are unregistered; the rest stays registered.
    RegistryMessage gone = old;
    gone.uris.clear();
    for (const auto& u : old.uris) {
      if (std::find(it->second.uris.begin(), it->second.uris.end(), u) == it->second.uris.end()) {
        gone.uris.push_back(u);
      }
    }
    if (!gone.uris.empty()) m.unregistrations.push_back(std::move(gone));
  }
  for (const auto& [key, now] : after) {
    auto it = before.find(key);
    if (it == before.end() || !(it->second == now)) m.registrations.push_back(now);
  }
  return m;
}

void RoutingTable::put_desired(const bbs::DesiredLrp& lrp) {
  auto routes = parse_cf_routes(lrp.routes);
  Desired d;
  d.log_guid = lrp.log_guid.empty() ? lrp.process_guid : lrp.log_guid;
  if (routes) {
    d.routes = std::move(*routes);
    invalid_.erase(lrp.process_guid);
  } else {
    invalid_[lrp.process_guid] = routes.error().message;
  }
  desired_[lrp.process_guid] = std::move(d);
}

void RoutingTable::put_actual(const bbs::ActualLrp& lrp) {
  const auto& guid = lrp.instance_key.instance_guid;
  if (guid.empty()) return;
  if (lrp.state != bbs::ActualLrpState::Running) {
    auto it = endpoints_.find(lrp.key.process_guid);
    if (it != endpoints_.end()) {
      it->second.erase(guid);
      if (it->second.empty()) endpoints_.erase(it);
    }
    return;
  }
  Endpoint ep;
  ep.index = lrp.key.index;
  ep.address = lrp.net_info.address;
  ep.ports = lrp.net_info.ports;
  ep.zone = lrp.availability_zone;
  ep.since = lrp.since;
  endpoints_[lrp.key.process_guid][guid] = std::move(ep);
}

Messages RoutingTable::sync(const std::vector<bbs::DesiredLrp>& desired,
                            const std::vector<bbs::ActualLrp>& actual) {
  std::set<std::string> processes;
  for (const auto& [guid, d] : desired_) processes.insert(guid);
  std::map<std::string, Registrations> before;
  for (const auto& guid : processes) before[guid] = registrations_of(guid);
  desired_.clear();
  endpoints_.clear();
  invalid_.clear();
  for (const auto& d : desired) {
    put_desired(d);
    processes.insert(d.process_guid);
  }
  for (const auto& a : actual) put_actual(a);
  Messages out;
  for (const auto& guid : processes) out.append(diff(before[guid], registrations_of(guid)));
  return out;
}

Messages RoutingTable::set_desired(const bbs::DesiredLrp& lrp) {
  auto before = registrations_of(lrp.process_guid);
  put_desired(lrp);
  return diff(before, registrations_of(lrp.process_guid));
}

Messages RoutingTable::remove_desired(const std::string& process_guid) {
  auto before = registrations_of(process_guid);
  desired_.erase(process_guid);
  invalid_.erase(process_guid);
  return diff(before, {});
}

Messages RoutingTable::set_actual(const bbs::ActualLrp& lrp) {
  auto before = registrations_of(lrp.key.process_guid);
  put_actual(lrp);
  return diff(before, registrations_of(lrp.key.process_guid));
}

Messages RoutingTable::change_actual(const bbs::ActualLrp& before, const bbs::ActualLrp& after) {
  auto old = registrations_of(after.key.process_guid);
  const auto& was = before.instance_key.instance_guid;
  if (!was.empty() && was != after.instance_key.instance_guid) {
    auto it = endpoints_.find(before.key.process_guid);
    if (it != endpoints_.end()) {
      it->second.erase(was);
      if (it->second.empty()) endpoints_.erase(it);
    }
  }
  put_actual(after);
  return diff(old, registrations_of(after.key.process_guid));
}

Messages RoutingTable::remove_actual(const std::string& process_guid,
                                     const std::string& instance_guid) {
  auto before = registrations_of(process_guid);
  auto it = endpoints_.find(process_guid);
  if (it != endpoints_.end()) {
    it->second.erase(instance_guid);
    if (it->second.empty()) endpoints_.erase(it);
  }
  return diff(before, registrations_of(process_guid));
}

std::vector<RegistryMessage> RoutingTable::registrations() const {
  std::vector<RegistryMessage> out;
  for (const auto& [guid, d] : desired_) {
    for (auto& [key, m] : registrations_of(guid)) out.push_back(std::move(m));
  }
  return out;
}

std::size_t RoutingTable::route_count() const {
  std::set<std::string> hosts;
  for (const auto& [guid, d] : desired_) {
    for (const auto& r : d.routes) hosts.insert(r.hostnames.begin(), r.hostnames.end());
  }
  return hosts.size();
}

std::size_t RoutingTable::endpoint_count() const { return registrations().size(); }

}  // namespace cupola::route_emitter
