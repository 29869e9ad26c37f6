#pragma once
// The benchmark helpers' --threads value: "1,2" -> {1, 2}.
#include <string>
#include <vector>

namespace bench {

inline std::vector<int> thread_counts(const std::string& value) {
    std::vector<int> counts;
    for (std::size_t pos = 0; pos <= value.size();) {
        auto comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        counts.push_back(std::stoi(value.substr(pos, comma - pos)));
        pos = comma + 1;
    }
    return counts;
}

}  // namespace bench
