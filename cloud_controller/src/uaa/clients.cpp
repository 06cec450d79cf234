#include "cloud_controller/src/uaa/clients.h"

#include <algorithm>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/password_hash.h"

namespace cupola::cc::uaa {

bool ClientRegistration::allows(std::string_view grant_type) const {
  return std::find(grant_types.begin(), grant_types.end(), grant_type) != grant_types.end();
}

ClientRegistry::ClientRegistry(std::vector<ClientRegistration> clients)
    : clients_(std::move(clients)) {
  if (!find(kCfClientId)) {
    clients_.push_back(ClientRegistration{.id = std::string(kCfClientId),
                                          .secret = "",
                                          .scopes = {},
                                          .grant_types = {"password", "refresh_token"}});
  }
}

const ClientRegistration* ClientRegistry::find(std::string_view id) const {
  for (const auto& c : clients_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Result<const ClientRegistration*> ClientRegistry::authenticate(std::string_view id,
                                                               std::string_view secret) const {
  const ClientRegistration* client = find(id);
  // Compare even for an unknown client, so both answers take about as long.
  bool match = constant_time_equals(secret, client ? std::string_view(client->secret) : id);
  if (!client || !match) return uaa_error(UaaErrc::BadCredentials, kBadCredentials);
  return client;
}

}  // namespace cupola::cc::uaa
