#include "cloud_controller/src/uaa/config.h"

#include <set>

#include "common/config/config.h"

namespace cupola::cc::uaa {

void UaaConfig::read(json::ObjectReader& r) {
  r.optional("uaa_url", uaa_url);
  r.optional("login_url", login_url);
  r.optional("signing_key_path", signing_key_path);
  r.optional("access_token_lifetime", access_token_lifetime);
  r.optional("refresh_token_lifetime", refresh_token_lifetime);
  unsigned iterations = password_hash_iterations;
  r.optional("password_hash_iterations", iterations);
  password_hash_iterations = iterations;
  auto lock = r.object("lockout");
  lock.optional("max_failures", lockout.max_failures);
  lock.optional("count_within", lockout.count_within);
  lock.optional("lockout", lockout.lockout);
  auto admin = r.object("admin");
  admin.optional("username", admin_username);
  admin.optional("password", admin_password);
  const json::Value* list = r.find("clients");
  if (!list || list->IsNull()) return;
  if (!list->IsArray()) {
    r.problem("clients", "expected an array of clients");
    return;
  }
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    json::ObjectReader c((*list)[i], r.path_of("clients") + "[" + std::to_string(i) + "]", r);
    ClientRegistration client;
    c.required("id", client.id);
    c.optional("secret", client.secret);
    c.optional("scopes", client.scopes);
    c.optional("grant_types", client.grant_types);
    clients.push_back(std::move(client));
  }
}

void UaaConfig::validate(std::vector<std::string>& problems) const {
  config::check_http_url(problems, "uaa.uaa_url", uaa_url);
  if (!login_url.empty()) config::check_http_url(problems, "uaa.login_url", login_url);
  if (signing_key_path.empty()) problems.push_back("uaa.signing_key_path: is required");
  if (access_token_lifetime <= std::chrono::seconds(0)) {
    problems.push_back("uaa.access_token_lifetime: must be positive");
  }
  if (refresh_token_lifetime < access_token_lifetime) {
    problems.push_back("uaa.refresh_token_lifetime: must not be shorter than the access token's");
  }
  if (password_hash_iterations < PasswordHashOptions::kMinIterations) {
    problems.push_back("uaa.password_hash_iterations: must be at least " +
                       std::to_string(PasswordHashOptions::kMinIterations));
  }
  if (lockout.max_failures < 1) problems.push_back("uaa.lockout.max_failures: must be at least 1");
  if (lockout.count_within <= std::chrono::seconds(0) ||
      lockout.lockout <= std::chrono::seconds(0)) {
    problems.push_back("uaa.lockout: count_within and lockout must be positive");
  }
  if (admin_username.empty() != admin_password.empty()) {
    problems.push_back("uaa.admin: give both username and password, or neither");
  }
  std::set<std::string> ids;
  for (const auto& c : clients) {
    std::string where = "uaa.clients[" + c.id + "]";
    if (c.id.empty()) problems.push_back("uaa.clients: every client needs an id");
    if (!ids.insert(c.id).second) problems.push_back(where + ": the id is used twice");
    if (c.allows("client_credentials") && c.secret.empty()) {
      problems.push_back(where + ": a client_credentials client needs a secret");
    }
    for (const auto& g : c.grant_types) {
      if (g != "password" && g != "refresh_token" && g != "client_credentials") {
        problems.push_back(where + ": unsupported grant type ");
        problems.back() += g;
      }
    }
  }
}

}  // namespace cupola::cc::uaa
