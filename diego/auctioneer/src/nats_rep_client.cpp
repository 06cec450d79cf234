#include "diego/auctioneer/src/nats_rep_client.h"

namespace cupola::auctioneer {

boost::asio::awaitable<Result<CellStateReport>> NatsRepClient::state(
    std::string cell_id, std::chrono::milliseconds timeout) {
  auto reply = co_await nats_.request(state_subject(cell_id), "{}", timeout);
  if (!reply) co_return std::move(reply).error();
  co_return cell_state_from_json(reply->data);
}

boost::asio::awaitable<Result<Work>> NatsRepClient::perform(std::string cell_id, Work work,
                                                            std::chrono::milliseconds timeout) {
  auto body = to_json(work);
  auto reply = co_await nats_.request(perform_subject(cell_id), std::move(body), timeout);
  if (!reply) co_return std::move(reply).error();
  co_return perform_reply_from_json(reply->data);
}

}  // namespace cupola::auctioneer
