#pragma once

#include <functional>
#include <string>

namespace cupola::nats {

// One message as a subscriber sees it. `reply` is empty when the publisher expects no answer.
struct Message {
  std::string subject;
  std::string reply;
  std::string data;
};

// Receives messages for a subscription. Runs on the client's executor, one message at a time
// per subscription, in the order the server delivered them. An exception thrown here is
// logged and dropped.
using MessageHandler = std::function<void(Message)>;

}  // namespace cupola::nats
