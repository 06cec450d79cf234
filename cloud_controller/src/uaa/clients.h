#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::cc::uaa {

// The cf CLI's client: public (empty secret), password and refresh_token grants only.
inline constexpr std::string_view kCfClientId = "cf";

// The client credentials of a token request, from HTTP Basic or the form.
struct ClientCredentials {
  std::string id;
  std::string secret;
};

// An OAuth client of the token service. Components (the log store, the router's route
// registrar, ...) get one each in configuration and use the client_credentials grant.
struct ClientRegistration {
  std::string id;
  std::string secret;
  // The authorities of its client_credentials tokens (their "scope" too).
  std::vector<std::string> scopes;
  std::vector<std::string> grant_types = {"client_credentials"};

  bool allows(std::string_view grant_type) const;
};

// The registered clients: the built-in "cf" plus the configured ones (a configured "cf"
// replaces the built-in). Immutable and thread-safe.
class ClientRegistry {
 public:
  explicit ClientRegistry(std::vector<ClientRegistration> clients = {});

  const ClientRegistration* find(std::string_view id) const;

  // The client when `id` is registered and `secret` equals its secret (compared in
  // constant time); UaaErrc::BadCredentials otherwise, without saying which was wrong.
  Result<const ClientRegistration*> authenticate(std::string_view id,
                                                 std::string_view secret) const;

 private:
  std::vector<ClientRegistration> clients_;
};

}  // namespace cupola::cc::uaa
