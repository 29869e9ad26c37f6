#include "api/notifications/notifications.hpp"

#include <algorithm>

#include "api/context.hpp"

namespace api::notifications {

Notifications::Notifications()
    : wall_ms([] {
          return std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
              .count();
      }) {}

void Notifications::add_fault(DeliveryFault fault) {
    std::lock_guard lock(mutex_);
    faults_.push_back(std::move(fault));
}

void Notifications::clear_faults() {
    std::lock_guard lock(mutex_);
    faults_.clear();
    held_.clear();
}

std::vector<DeliveryFault> Notifications::faults() const {
    std::lock_guard lock(mutex_);
    return faults_;
}

std::optional<DeliveryFault> Notifications::fault_for(const std::string& event_type) {
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (!event_type.ends_with(it->event)) continue;
        DeliveryFault chosen = *it;
        if (it->times && --*it->times <= 0) faults_.erase(it);
        return chosen;
    }
    return std::nullopt;
}

void Notifications::hold(const std::string& destination_id, std::int64_t delivery_id) {
    std::lock_guard lock(mutex_);
    held_[destination_id] = delivery_id;
}

std::optional<std::int64_t> Notifications::release(const std::string& destination_id) {
    std::lock_guard lock(mutex_);
    auto it = held_.find(destination_id);
    if (it == held_.end()) return std::nullopt;
    auto id = it->second;
    held_.erase(it);
    return id;
}

bool Notifications::first_time(std::int64_t delivery_id) {
    std::lock_guard lock(mutex_);
    // Bounded: ids only grow, so the oldest are the ones no longer pending.
    if (seen_.size() > 100'000) seen_.erase(seen_.begin(), std::next(seen_.begin(), 50'000));
    return seen_.insert(delivery_id).second;
}

std::string account_of_zone(Context& context, const std::string& zone_id, bool in_write) {
    if (in_write) {
        if (auto account = context.zones.account_while_locked(zone_id)) return *account;
    } else if (auto zone = context.zones.find(zone_id)) {
        return zone->account_id;
    }
    return context.notifications->settings.account_id;
}

}  // namespace api::notifications
