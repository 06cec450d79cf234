#include "gorouter/route/pool.h"

namespace cupola::router {

// The cursor starts at a place derived from the route, so that routers and routes do not all
// send their first request to the first endpoint.
Pool::Pool(const RouteKey& key, LoadBalancing load_balancing)
    : key_(key.str()),
      host_len_(static_cast<std::uint32_t>(key.host().size())),
      load_balancing_(load_balancing),
      cursor_(static_cast<std::uint32_t>(key.hash() >> 40)) {}

Pool::Pool(const Pool& o)
    : key_(o.key_),
      host_len_(o.host_len_),
      load_balancing_(o.load_balancing_),
      route_service_from_(o.route_service_from_),
      epoch_(o.epoch_),
      members_(o.members_),
      cursor_(o.cursor_.load(std::memory_order_relaxed)) {}

std::string_view Pool::route_service_url() const {
  if (route_service_from_ >= members_.size()) return {};
  return members_[route_service_from_].endpoint->route_service_url();
}

std::size_t Pool::index_of(std::string_view address) const {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].endpoint->address() == address) return i;
  }
  return members_.size();
}

std::shared_ptr<Endpoint> Pool::find_address(std::string_view address) const {
  std::size_t i = index_of(address);
  return i < members_.size() ? members_[i].endpoint : nullptr;
}

std::shared_ptr<Endpoint> Pool::find_instance(std::string_view private_instance_id) const {
  if (private_instance_id.empty()) return nullptr;
  for (const auto& m : members_) {
    if (m.endpoint->private_instance_id() == private_instance_id) return m.endpoint;
  }
  return nullptr;
}

std::shared_ptr<Endpoint> Pool::find_app_instance(std::string_view app_id,
                                                  std::string_view index) const {
  for (const auto& m : members_) {
    if (m.endpoint->app_id() == app_id && m.endpoint->private_instance_index() == index) {
      return m.endpoint;
    }
  }
  return nullptr;
}

}  // namespace cupola::router
