#include "cloud_controller/src/uaa/schema.h"

namespace cupola::cc::uaa {
namespace {

// Times are nanoseconds since the Unix epoch. Usernames are unique in any letter case,
// as UAA's lookups lower-case them.
constexpr const char* kUsers = R"sql(
CREATE TABLE uaa_users (
  guid text COLLATE "C" PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL DEFAULT '',
  origin text NOT NULL DEFAULT 'uaa',
  email text NOT NULL DEFAULT '',
  given_name text NOT NULL DEFAULT '',
  family_name text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  admin boolean NOT NULL DEFAULT false,
  revocation_salt text NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  password_changed_at bigint NOT NULL,
  version bigint NOT NULL DEFAULT 0,
  failed_logins integer NOT NULL DEFAULT 0,
  failures_since bigint,
  locked_until bigint
);
CREATE UNIQUE INDEX uaa_users_username_idx ON uaa_users (lower(username));
)sql";

// A revoked token id stays listed until the token would have expired anyway.
constexpr const char* kRevokedTokens = R"sql(
CREATE TABLE uaa_revoked_tokens (
  jti text COLLATE "C" PRIMARY KEY,
  user_id text NOT NULL DEFAULT '',
  client_id text NOT NULL DEFAULT '',
  expires_at bigint NOT NULL
);
CREATE INDEX uaa_revoked_tokens_expires_at_idx ON uaa_revoked_tokens (expires_at);
)sql";

}  // namespace

std::vector<pg::Migration> uaa_migrations() {
  return {
      {1000, "create uaa_users", kUsers},
      {1001, "create uaa_revoked_tokens", kRevokedTokens},
  };
}

}  // namespace cupola::cc::uaa
