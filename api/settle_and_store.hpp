#pragma once
// A read settles what it read (statuses the clock moved on, a DV pair due) and stores it, unless
// the row changed meanwhile (the background settler, another read): then it settles what is
// stored now and stores that. So what a read answers is what the next one reads; answering a
// settle that was not stored would show a DV pair nobody keeps, and the next read would issue
// another. Shared by custom hostnames and certificate packs.
namespace api {

// settle(row) -> changed?; store_if_unchanged(row, before) -> stored?; reload(row) -> still there?
template <class Row, class Settle, class Store, class Reload>
void settle_and_store_row(Row& row, Settle settle, Store store_if_unchanged, Reload reload) {
    constexpr int attempts = 5;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        Row before = row;
        if (!settle(row)) return;
        if (store_if_unchanged(row, before)) return;
        if (!reload(row)) return;  // deleted meanwhile: the answer is the last state seen
    }
}

}  // namespace api
