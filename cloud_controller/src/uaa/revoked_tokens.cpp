#include "cloud_controller/src/uaa/revoked_tokens.h"

namespace cupola::cc::uaa {

void RevokedTokens::add(std::string jti, TimePoint expires_at) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = expiry_.try_emplace(std::move(jti), expires_at);
  if (!inserted && it->second < expires_at) it->second = expires_at;
}

void RevokedTokens::merge(const std::vector<RevokedToken>& tokens) {
  for (const auto& t : tokens) add(t.jti, t.expires_at);
}

bool RevokedTokens::contains(std::string_view jti) const {
  std::lock_guard lock(mu_);
  return expiry_.find(std::string(jti)) != expiry_.end();
}

std::size_t RevokedTokens::prune(TimePoint now) {
  std::lock_guard lock(mu_);
  return std::erase_if(expiry_, [now](const auto& entry) { return entry.second <= now; });
}

std::size_t RevokedTokens::size() const {
  std::lock_guard lock(mu_);
  return expiry_.size();
}

}  // namespace cupola::cc::uaa
