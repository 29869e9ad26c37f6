#include "api/emulator/journal_stream.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/envelope.hpp"

namespace api::emulator {
namespace {

class JournalStream final : public BodyStream {
public:
    JournalStream(const Journal& journal, JournalPage page, JournalBatchSize batch)
        : journal_(journal), page_(std::move(page)), batch_(batch), cursor_(page_.after),
          up_to_(journal.last_sequence()) {}

    bool next(std::string& piece) override {
        piece.clear();
        if (state_ == State::done) return false;
        if (state_ == State::start) {
            piece = R"({"errors":[],"messages":[],"result":[)";
            state_ = State::entries;
        }
        // Until this piece holds some entries or the page is over: a batch whose entries all fail
        // the filter yields nothing but moves the cursor on.
        while (state_ == State::entries) {
            if (count_ == page_.limit) {
                finish(piece);
                break;
            }
            auto batch = journal_.read_batch(page_.filter, cursor_, up_to_,
                                             std::min(batch_.entries, page_.limit - count_), batch_.body_bytes);
            cursor_ = batch.scanned_through;
            for (const auto& entry : batch.entries) {
                if (count_ > 0) piece += ',';
                piece += dump_json(to_json(entry));
                ++count_;
                last_sent_ = entry.sequence;
            }
            if (batch.complete) {
                complete_ = true;
                finish(piece);
            } else if (!batch.entries.empty()) {
                break;
            }
        }
        return true;
    }

private:
    enum class State { start, entries, done };

    void finish(std::string& piece) {
        // A full page has a next one only when a later entry (up to the stream's snapshot)
        // matches; the client continues with after=next_after.
        bool more = !complete_ && count_ == page_.limit && journal_.any_match(page_.filter, last_sent_, up_to_);
        piece += R"(],"result_info":{"count":)" + std::to_string(count_) + R"(,"limit":)" +
                 std::to_string(page_.limit) + R"(,"next_after":)" + (more ? std::to_string(last_sent_) : "null") +
                 R"(},"success":true})";
        state_ = State::done;
    }

    const Journal& journal_;
    const JournalPage page_;
    const JournalBatchSize batch_;
    std::uint64_t cursor_;        // the last sequence looked at
    const std::uint64_t up_to_;   // the newest entry when the answer began
    std::uint64_t last_sent_ = 0;
    std::size_t count_ = 0;
    bool complete_ = false;       // the scan reached up_to_
    State state_ = State::start;
};

}  // namespace

std::shared_ptr<BodyStream> journal_stream(const Journal& journal, JournalPage page, JournalBatchSize batch) {
    return std::make_shared<JournalStream>(journal, std::move(page), batch);
}

}  // namespace api::emulator
