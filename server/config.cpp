#include "server/config.hpp"

#include <set>

#include "server/config_settings.hpp"
#include "server/config_values.hpp"

// Walks the settings table (config_settings.cpp): the variables first, then the flags, which win.
namespace server {
namespace {

const Setting* find_setting(std::string_view flag) {
    for (const auto& s : config_settings())
        if (s.flag == flag) return &s;
    return nullptr;
}

// A variable holds one value, or a list's values in the list's own syntax.
void apply_variable(Config& config, const Setting& s, const std::string& value) {
    switch (s.field.list) {
        case ListSyntax::single: s.field.apply(config, s.flag, value); return;
        case ListSyntax::commas:
            for (const auto& item : split_list(value)) s.field.apply(config, s.flag, item);
            return;
        case ListSyntax::entries:
            for (const auto& item : token_entries(value)) s.field.apply(config, s.flag, item);
            return;
    }
}

std::string_view list_syntax_text(ListSyntax list) {
    switch (list) {
        case ListSyntax::single: return "";
        case ListSyntax::commas: return ", comma-separated";
        case ListSyntax::entries: return ", ';'-separated";
    }
    return "";
}

}  // namespace

std::string usage_text() {
    constexpr std::size_t column = 24;
    std::string text =
        "Usage: csr-emulator [OPTIONS]\n"
        "       csr-emulator ca sign --csr FILE [--days N] [--db PATH | --ca-dir DIR]\n"
        "       csr-emulator healthcheck [--listen HOST:PORT]\n\n"
        "An emulator of Cloudflare's Custom CSR, custom hostname and custom certificate APIs.\n\n"
        "Options (each also read from the environment variable shown; flags win):\n";
    for (const auto& s : config_settings()) {
        std::string usage = "  " + std::string(s.flag) + " " + std::string(s.value_name);
        text += usage + (usage.size() < column - 1 ? std::string(column - usage.size(), ' ') : "\n" + std::string(column, ' '));
        text += s.help;
        if (!s.default_value.empty()) text += " (default " + std::string(s.default_value) + ")";
        if (s.field.list != ListSyntax::single) text += " (repeatable)";
        text += "\n" + std::string(column, ' ') + "[" + std::string(s.env) + std::string(list_syntax_text(s.field.list)) + "]\n";
    }
    text += "  --help                show this text\n  --version             print the version\n";
    return text;
}

const char* version_text() { return "csr-emulator " CSR_EMULATOR_VERSION; }

ParseOutcome parse_config(const std::vector<std::string>& args,
                          const std::function<std::optional<std::string>(const std::string&)>& env) {
    ParseOutcome outcome;
    Config config;
    try {
        for (const auto& s : config_settings())
            if (auto value = env(std::string(s.env))) apply_variable(config, s, *value);

        std::set<std::string_view> lists_from_flags;  // a list's first flag replaces the variable's items
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& arg = args[i];
            if (arg == "--help" || arg == "-h") {
                outcome.output = usage_text();
                return outcome;
            }
            if (arg == "--version") {
                outcome.output = std::string(version_text()) + "\n";
                return outcome;
            }
            std::string flag = arg, value;
            bool has_value = false;
            if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
                flag = arg.substr(0, eq);
                value = arg.substr(eq + 1);
                has_value = true;
            }
            const Setting* s = find_setting(flag);
            if (!s) throw UsageError("unknown option '" + flag + "' (see --help)");
            if (!has_value) {
                if (i + 1 >= args.size()) throw UsageError(flag + ": missing value");
                value = args[++i];
            }
            if (s->field.list != ListSyntax::single && lists_from_flags.insert(s->flag).second) s->field.clear(config);
            s->field.apply(config, s->flag, value);
        }
        if (config.validation == "dns" && !config.dns_server)
            throw UsageError("--validation dns needs --dns-server IP:PORT (or CSR_EMULATOR_DNS_SERVER)");
        // The key itself only from the environment (a command line is public); a key file wins.
        if (!config.key_encryption_key_file)
            if (auto key = env("CSR_EMULATOR_KEY_ENCRYPTION_KEY"); key && !key->empty()) config.key_encryption_key = *key;
    } catch (const UsageError& e) {
        outcome.exit_code = 2;
        outcome.output = std::string("csr-emulator: ") + e.what() + "\n";
        return outcome;
    }
    outcome.config = std::move(config);
    return outcome;
}

std::string Config::describe() const {
    std::string text;
    for (const auto& s : config_settings())
        if (!s.logged || s.logged(*this)) text += (text.empty() ? "" : " ") + log_key(s) + "=" + s.field.show(*this);
    // Credentials are counted (by their rows), never printed; these sum them up.
    text += std::string(" auth=") + (api_tokens.empty() && api_keys.empty() ? "any-credential" : "strict");
    text += " token_scopes=" + std::to_string(token_scopes.size());
    return text;
}

}  // namespace server
