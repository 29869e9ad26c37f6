#include "api/emulator/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace api::emulator {
namespace {

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
std::string escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string labels_text(const MetricLabels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i)
        out += (i ? "," : "") + labels[i].first + "=\"" + escape(labels[i].second) + "\"";
    return out + "}";
}

// The shortest text that reads back to the same value, never in exponent form for whole
// numbers ("10", not "1e+01"), as Prometheus' own clients print bucket bounds.
std::string number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buf[40];
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", value);
        return buf;
    }
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    return buf;
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

void Metrics::observe(std::string_view method, std::string_view route, int status, std::chrono::microseconds duration) {
    double seconds = static_cast<double>(duration.count()) / 1e6;
    std::lock_guard lock(mutex_);
    auto request = requests_.find(RequestView(method, route, status));
    if (request == requests_.end()) request = requests_.emplace(RequestKey(method, route, status), 0).first;
    ++request->second;
    auto histogram_at = durations_.find(route);
    if (histogram_at == durations_.end()) histogram_at = durations_.emplace(std::string(route), Histogram{}).first;
    auto& histogram = histogram_at->second;
    for (std::size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) {
            ++histogram.counts[i];
            break;
        }
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    add_gauge_family(std::move(name), std::move(help), [read = std::move(read)] { return GaugeSamples{{{}, read()}}; });
}

void Metrics::add_gauge_family(std::string name, std::string help, std::function<GaugeSamples()> read) {
    std::lock_guard lock(mutex_);
    gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
    std::string out;
    std::vector<Gauge> gauges;
    {
        std::lock_guard lock(mutex_);
        header(out, "csr_emulator_http_requests_total", "Requests answered, by method, route template and status.",
               "counter");
        for (const auto& [key, count] : requests_) {
            const auto& [method, route, status] = key;
            out += "csr_emulator_http_requests_total" +
                   labels_text({{"method", method}, {"route", route}, {"status", std::to_string(status)}}) + " " +
                   std::to_string(count) + "\n";
        }
        header(out, "csr_emulator_http_request_duration_seconds", "Time to answer a request, by route template.",
               "histogram");
        for (const auto& [route, histogram] : durations_) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < buckets.size(); ++i) {
                cumulative += histogram.counts[i];
                out += "csr_emulator_http_request_duration_seconds_bucket" +
                       labels_text({{"route", route}, {"le", number(buckets[i])}}) + " " + std::to_string(cumulative) +
                       "\n";
            }
            out += "csr_emulator_http_request_duration_seconds_bucket" +
                   labels_text({{"route", route}, {"le", "+Inf"}}) + " " + std::to_string(histogram.count) + "\n";
            out += "csr_emulator_http_request_duration_seconds_sum" + labels_text({{"route", route}}) + " " +
                   number(histogram.sum) + "\n";
            out += "csr_emulator_http_request_duration_seconds_count" + labels_text({{"route", route}}) + " " +
                   std::to_string(histogram.count) + "\n";
        }
        gauges = gauges_;
    }
    // Readers run unlocked: one may take the database lock, and a request holding that lock may
    // be waiting in observe().
    for (const auto& gauge : gauges) {
        header(out, gauge.name, gauge.help, "gauge");
        for (const auto& [labels, value] : gauge.read()) out += gauge.name + labels_text(labels) + " " + number(value) + "\n";
    }
    return out;
}

}  // namespace api::emulator
