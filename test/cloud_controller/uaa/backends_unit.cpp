#include "test/cloud_controller/uaa/backend.h"

namespace cupola::cc::uaa::test {

std::vector<std::string> backend_names() { return {"fake"}; }

std::unique_ptr<Backend> make_backend(const std::string& name) {
  (void)name;
  return make_fake_backend();
}

}  // namespace cupola::cc::uaa::test
