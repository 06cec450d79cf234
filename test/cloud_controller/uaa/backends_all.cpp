#include <stdexcept>

#include "test/cloud_controller/uaa/backend.h"

namespace cupola::cc::uaa::test {

std::vector<std::string> backend_names() { return {"fake", "pg"}; }

std::unique_ptr<Backend> make_backend(const std::string& name) {
  if (name == "fake") return make_fake_backend();
  if (name == "pg") return make_pg_backend();
  throw std::invalid_argument("no backend named " + name);
}

}  // namespace cupola::cc::uaa::test
