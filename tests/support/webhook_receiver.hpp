#pragma once
// A customer's webhook receiver for notification tests: accepts POSTs on 127.0.0.1 and a free
// port, remembers each (headers and body, in order of arrival) and answers with the next status
// of its script (200 once the script is used up).
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace test_support {

struct ReceivedWebhook {
    std::string target, body;
    std::map<std::string, std::string> headers;  // names in lower case
    int answered = 0;                            // the status it got
};

class WebhookReceiver {
public:
    explicit WebhookReceiver(std::deque<int> statuses = {});
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    unsigned short port() const { return port_; }
    std::string url(const std::string& path = "/hook") const;
    std::vector<ReceivedWebhook> received() const;
    void script(std::deque<int> statuses);  // the next answers
    // Each answer waits this long first (one request at a time: the others wait to be accepted).
    void delay_answers(std::chrono::milliseconds delay);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned short port_ = 0;
};

}  // namespace test_support
