#include "test/bbs/db/backend.h"

namespace cupola::bbs::contract {

std::vector<std::string> backend_names() { return {"fake"}; }

std::unique_ptr<Backend> make_backend(const std::string& name) {
  (void)name;
  return make_fake_backend();
}

}  // namespace cupola::bbs::contract
