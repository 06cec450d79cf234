#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "cloud_controller/src/uaa/revocation_store.h"
#include "cloud_controller/src/uaa/user_store.h"
#include "test/common/pg/pg_test_support.h"

namespace cupola::cc::uaa::test {

// The token service's stores, empty, on their own io_context. The store contract and the
// endpoint tests run once per backend the binary is built with: "fake" in the unit build,
// "fake" and "pg" (a fresh database with uaa_migrations applied) in the integration build.
class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string name() const = 0;
  virtual UserStore& users() = 0;
  virtual RevocationStore& revocations() = 0;

  boost::asio::io_context& io() { return io_; }
  // Runs one coroutine to completion on io().
  template <class T>
  T run(boost::asio::awaitable<T> op) {
    return pg::test::run(io_, std::move(op));
  }

 protected:
  boost::asio::io_context io_;
};

std::vector<std::string> backend_names();
std::unique_ptr<Backend> make_backend(const std::string& name);

std::unique_ptr<Backend> make_fake_backend();
std::unique_ptr<Backend> make_pg_backend();

}  // namespace cupola::cc::uaa::test
