#pragma once

// Who may read what in the log store: the interface its handlers ask, so the rules can be
// tested apart from the token server and the Cloud Controller they consult.

#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"

namespace cupola::logstore {

// The caller a request's bearer token names.
struct Caller {
  std::string authorization;  // the header as sent, to ask the Cloud Controller on its behalf
  std::string user;           // user_name or client_id, for logs
  bool admin = false;         // reads every source
};

// Runs on the log store's HTTP executor.
class AccessPolicy {
 public:
  virtual ~AccessPolicy() = default;
  // The caller of `authorization` ("bearer <JWT>"). Errors: InvalidArgument when the header
  // is missing or the token is malformed, forged or expired (the handler answers 401);
  // Unavailable when the keys to check it cannot be had (503).
  virtual boost::asio::awaitable<Result<Caller>> authenticate(std::string authorization) = 0;
  // Whether `caller` may read `source_id`: admins always; others when the Cloud Controller
  // shows them the app. Errors: Unavailable when the Cloud Controller cannot be asked.
  virtual boost::asio::awaitable<Result<bool>> may_read(Caller caller, std::string source_id) = 0;
  // Of `source_ids`, those `caller` may read.
  virtual boost::asio::awaitable<Result<std::set<std::string>>> readable(
      Caller caller, std::set<std::string> source_ids) = 0;
};

}  // namespace cupola::logstore
