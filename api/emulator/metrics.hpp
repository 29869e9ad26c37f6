#pragma once
// Prometheus metrics of the emulator itself, rendered in text exposition format 0.0.4:
//   csr_emulator_http_requests_total{method,route,status}        counter
//   csr_emulator_http_request_duration_seconds{route}            histogram
// plus gauges read from callbacks at render time (key pool, journal size, rows per table).
// Routes are templates ("/zones/{zone_id}/custom_csrs"), never raw paths, so ids do not turn
// into unbounded label values. Thread-safe.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace api::emulator {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;
using GaugeSamples = std::vector<std::pair<MetricLabels, double>>;

class Metrics {
public:
    // Prometheus' default buckets, in seconds.
    static constexpr std::array<double, 11> buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    void observe(std::string_view method, std::string_view route, int status, std::chrono::microseconds duration);

    // `name` must be a valid metric name; the reader runs on every render, outside any lock of
    // ours, so it may take its own (e.g. the database's).
    void add_gauge(std::string name, std::string help, std::function<double()> read);
    void add_gauge_family(std::string name, std::string help, std::function<GaugeSamples()> read);

    std::string render() const;

private:
    struct Histogram {
        std::array<std::uint64_t, buckets.size()> counts{};  // per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct Gauge {
        std::string name, help;
        std::function<GaugeSamples()> read;
    };

    using RequestKey = std::tuple<std::string, std::string, int>;  // method, route template, status
    using RequestView = std::tuple<std::string_view, std::string_view, int>;
    // Orders request keys and views of them alike (comparing views), so an observation finds its
    // counter without building strings. std::less<> would compare the mixed tuples directly,
    // which libstdc++ 12 allows under GCC but not under clang 14.
    struct RequestOrder {
        using is_transparent = void;
        static RequestView view(const RequestView& v) { return v; }
        static RequestView view(const RequestKey& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
        template <class A, class B>
        bool operator()(const A& a, const B& b) const { return view(a) < view(b); }
    };

    mutable std::mutex mutex_;
    // Transparent comparators: a request's observation finds its entries by string_view, and
    // allocates only for a route and status seen for the first time.
    std::map<RequestKey, std::uint64_t, RequestOrder> requests_;
    std::map<std::string, Histogram, std::less<>> durations_;
    std::vector<Gauge> gauges_;
};

// The Content-Type of the exposition format.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace api::emulator
