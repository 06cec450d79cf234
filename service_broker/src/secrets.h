#pragma once

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::pg_broker {

// A password of `length` characters from [A-Za-z0-9], drawn from OpenSSL's CSPRNG
// (RAND_bytes). 32 characters carry about 190 bits. Errc::Internal when the CSPRNG fails.
Result<std::string> generate_password(std::size_t length = 32);

// The SCRAM-SHA-256 verifier Postgres stores for `password` (RFC 5802/7677, the format of
// pg_authid.rolpassword): "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>".
// Handing Postgres the verifier instead of the password keeps the password out of the
// server's statement logs. `password` must be ASCII without control characters (SASLprep
// leaves such text unchanged); `salt` is raw bytes.
std::string scram_sha256_verifier(std::string_view password, std::string_view salt,
                                  int iterations = 4096);

// 16 random bytes for a SCRAM salt. Errc::Internal when the CSPRNG fails.
Result<std::string> random_salt();

}  // namespace cupola::pg_broker
