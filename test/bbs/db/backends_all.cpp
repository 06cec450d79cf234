#include <stdexcept>

#include "test/bbs/db/backend.h"

namespace cupola::bbs::contract {

std::vector<std::string> backend_names() { return {"fake", "pg"}; }

std::unique_ptr<Backend> make_backend(const std::string& name) {
  if (name == "fake") return make_fake_backend();
  if (name == "pg") return make_pg_backend();
  throw std::invalid_argument("no backend named " + name);
}

}  // namespace cupola::bbs::contract
