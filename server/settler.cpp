#include "server/settler.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/certificate_packs/pack_checks.hpp"
#include "api/certificate_packs/pack_state.hpp"
#include "api/custom_hostnames/settler_tasks.hpp"
#include "api/thread_priority.hpp"

namespace server {
namespace asio = boost::asio;

// Handlers on `io` capture a plain Impl*: stop() joins the thread before the settler lets Impl
// go, so none runs later, and the ones still queued are destroyed with `io`. (A shared_ptr in the
// timer's pending handler kept Impl, which owns that handler, alive forever: a leak at exit.)
// Only probe completions, which may outlive the settler, hold a weak_ptr.
struct Settler::Impl : std::enable_shared_from_this<Impl> {
    api::Context& context;
    api::DnsProbe* dns;
    api::HttpProbe* http;
    SettlerSettings settings;
    asio::io_context io;
    asio::steady_timer timer{io};
    std::thread thread;
    // Hostnames with a check running: a slow lookup is not started twice. Probe threads remove
    // their hostname when done, hence the lock.
    std::mutex mutex;
    std::set<api::HostnameKey> in_flight;
    std::set<std::string> origins_in_flight;  // zones whose fallback origin is being resolved
    std::set<api::PackKey> packs_in_flight;   // certificate packs whose hosts are being checked
    std::atomic<bool> stopped{false};

    Impl(api::Context& c, api::DnsProbe* d, api::HttpProbe* h, SettlerSettings s)
        : context(c), dns(d), http(h), settings(s) {}

    void schedule() {
        timer.expires_after(settings.tick);
        timer.async_wait([this](boost::system::error_code ec) {
            if (ec) return;  // cancelled by wake() or stop()
            tick();
            schedule();
        });
    }

    void tick() {
        // A database error (disk full, say) must not end the thread: the next tick tries again.
        try {
            settle_all();
            if (dns && http) {
                start_checks();
                start_origin_checks();
                start_pack_checks();
            }
        } catch (const std::exception& e) {
            if (context.log) context.log(api::LogLevel::error, "settler", {{"error", e.what()}});
        }
    }

    void settle_all() {
        for (const auto& key : api::hostnames_to_settle(context, 1000)) {
            {
                std::lock_guard lock(mutex);
                if (in_flight.count(key)) continue;  // its check settles it when done
            }
            api::settle_hostname(context, key);
        }
        // The zones' fallback origins too: the edge sends traffic to an active one only.
        for (const auto& zone : api::fallback_origins_to_settle(context, 1000)) {
            {
                std::lock_guard lock(mutex);
                if (origins_in_flight.count(zone)) continue;  // its check stores it when done
            }
            api::settle_fallback_origin_of(context, zone);
        }
        // Certificate packs: renewed, expired and stepped on like hostnames.
        api::settle_due_certificate_packs(context, 1000);
    }

    void start_checks() {
        for (const auto& key : api::hostnames_due_for_check(context, static_cast<std::int64_t>(settings.max_in_flight))) {
            {
                std::lock_guard lock(mutex);
                if (in_flight.size() >= settings.max_in_flight) return;
                if (!in_flight.insert(key).second) continue;
            }
            // The weak pointer: a check finishing after the settler is gone touches nothing.
            std::weak_ptr<Impl> weak = shared_from_this();
            api::check_hostname(context, *dns, *http, key, wanted(), [weak, key] {
                if (auto self = weak.lock()) {
                    std::lock_guard lock(self->mutex);
                    self->in_flight.erase(key);
                }
            });
        }
    }

    // dns mode: pending fallback origins whose resolution check is due, within the same cap.
    void start_origin_checks() {
        for (const auto& zone : api::fallback_origins_due_for_check(context, static_cast<std::int64_t>(settings.max_in_flight))) {
            {
                std::lock_guard lock(mutex);
                if (in_flight.size() + origins_in_flight.size() >= settings.max_in_flight) return;
                if (!origins_in_flight.insert(zone).second) continue;
            }
            std::weak_ptr<Impl> weak = shared_from_this();
            api::check_fallback_origin(context, *dns, zone, wanted(), [weak, zone] {
                if (auto self = weak.lock()) {
                    std::lock_guard lock(self->mutex);
                    self->origins_in_flight.erase(zone);
                }
            });
        }
    }

    // dns mode: pending certificate packs whose DCV check is due, within the same cap.
    void start_pack_checks() {
        for (const auto& key : api::certificate_packs_due_for_check(context, static_cast<std::int64_t>(settings.max_in_flight))) {
            {
                std::lock_guard lock(mutex);
                if (in_flight.size() + origins_in_flight.size() + packs_in_flight.size() >= settings.max_in_flight)
                    return;
                if (!packs_in_flight.insert(key).second) continue;
            }
            std::weak_ptr<Impl> weak = shared_from_this();
            api::check_certificate_pack(context, *dns, *http, key, wanted(), [weak, key] {
                if (auto self = weak.lock()) {
                    std::lock_guard lock(self->mutex);
                    self->packs_in_flight.erase(key);
                }
            });
        }
    }

    // Whether a check's answer is still wanted: not once the settler is stopped or gone.
    std::function<bool()> wanted() {
        std::weak_ptr<Impl> weak = shared_from_this();
        return [weak] {
            auto self = weak.lock();
            return self && !self->stopped;
        };
    }
};

Settler::Settler(api::Context& context, api::DnsProbe* dns, api::HttpProbe* http,
                                         SettlerSettings settings)
    : impl_(std::make_shared<Impl>(context, dns, http, settings)) {}

Settler::~Settler() { stop(); }

void Settler::start() {
    if (impl_->thread.joinable()) return;
    impl_->schedule();
    impl_->thread = std::thread([impl = impl_.get()] {
        // Renewing a thousand hostnames after a clock jump is seconds of signing: the API's
        // requests go first (a GET's p99 during such a jump was 6-10x its idle p99 without this).
        api::lower_thread_priority(5);
        impl->io.run();
    });
}

void Settler::stop() {
    impl_->stopped = true;
    if (!impl_->thread.joinable()) return;
    impl_->io.stop();
    impl_->thread.join();
}

void Settler::wake() {
    asio::post(impl_->io, [impl = impl_.get()] {
        if (!impl->stopped) impl->tick();
    });
}

std::chrono::milliseconds settler_tick(std::chrono::milliseconds step) {
    return std::clamp(step / 5, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
}

}  // namespace server
