#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "api/name_rules.hpp"

using api::check_dns_name;
using api::NameProblem;
using api::NameRules;

namespace {

NameProblem problem_of(std::string_view name, NameRules rules = {}) { return check_dns_name(name, rules).problem; }

// n labels of 63 characters joined by dots, then `tail` appended.
std::string long_name(int labels, const std::string& tail) {
    std::string name;
    for (int i = 0; i < labels; ++i) name += std::string(63, static_cast<char>('a' + i)) + ".";
    return name + tail;
}

}  // namespace

TEST_SUITE_BEGIN("name_rules");

TEST_CASE("dns name: valid names") {
    SUBCASE("ordinary host names") {
        CHECK(problem_of("app.acme.io") == NameProblem::none);
        CHECK(problem_of("acme.io") == NameProblem::none);
        CHECK(problem_of("a.b.c.co.uk") == NameProblem::none);
        CHECK(problem_of("under_score.acme.io") == NameProblem::none);
        CHECK(problem_of("a-b.acme.io") == NameProblem::none);
        CHECK(problem_of("foo.123.acme.io") == NameProblem::none);
    }
    SUBCASE("a wildcard as the whole left-most label") {
        CHECK(problem_of("*.shop.acme.io") == NameProblem::none);
        CHECK(problem_of("*.acme.io") == NameProblem::none);
    }
    SUBCASE("punycode is ASCII") { CHECK(problem_of("xn--bcher-kva.de") == NameProblem::none); }
    SUBCASE("case does not matter") { CHECK(problem_of("App.ACME.Io") == NameProblem::none); }
    SUBCASE("1412: 255 characters is smaller than 256") {
        std::string name = long_name(3, std::string(59, 'd') + ".com");  // 3*64 + 59 + 4
        REQUIRE(name.size() == 255);
        CHECK(problem_of(name) == NameProblem::none);
    }
    SUBCASE("the reason is empty when there is no problem") { CHECK(check_dns_name("app.acme.io").reason.empty()); }
}

TEST_CASE("dns name: invalid (1412 SAN / 1407 hostname / 1415 origin)") {
    SUBCASE("1412: SANs have to be smaller than 256 characters") {
        std::string name = long_name(3, std::string(60, 'd') + ".com");
        REQUIRE(name.size() == 256);
        CHECK(problem_of(name) == NameProblem::invalid);
        CHECK(problem_of(std::string(1000, 'a') + ".com") == NameProblem::invalid);
    }
    SUBCASE("1412: empty name") { CHECK(problem_of("") == NameProblem::invalid); }
    SUBCASE("1412: cannot be an IP address") {
        CHECK(problem_of("192.0.2.1") == NameProblem::invalid);
        CHECK(problem_of("127.0.0.1") == NameProblem::invalid);
        CHECK(problem_of("::1") == NameProblem::invalid);
        CHECK(problem_of("2001:db8::1") == NameProblem::invalid);
        CHECK(problem_of("::ffff:192.0.2.1") == NameProblem::invalid);
        CHECK(check_dns_name("192.0.2.1").reason == "cannot be an IP address");
        CHECK(check_dns_name("2001:db8::1").reason == "cannot be an IP address");
    }
    SUBCASE("1412: all-numeric dotted names read as IP addresses") {
        CHECK(problem_of("1.2.3") == NameProblem::invalid);
        CHECK(problem_of("127.1") == NameProblem::invalid);
        CHECK(problem_of("1.2.3.4.5") == NameProblem::invalid);
        CHECK(problem_of("12345") == NameProblem::invalid);
        CHECK(check_dns_name("1.2.3").reason == "cannot be an IP address");
    }
    SUBCASE("1412: cannot contain any special characters") {
        for (char c : std::string("~`!@#$%^&*()=+{}[]|\\;:'\",<>/?")) {
            CAPTURE(c);
            CHECK(problem_of(std::string("a") + c + "b.acme.io") == NameProblem::invalid);
        }
        CHECK(check_dns_name("a@b.acme.io").reason == "cannot contain the special character '@'");
    }
    SUBCASE("1412: whitespace and control characters") {
        CHECK(problem_of("a b.acme.io") == NameProblem::invalid);
        CHECK(problem_of("a\tb.acme.io") == NameProblem::invalid);
        CHECK(problem_of("app.acme.io\n") == NameProblem::invalid);
        CHECK(problem_of(std::string("a\0b.acme.io", 11)) == NameProblem::invalid);
        CHECK(problem_of("a\x7f" "b.acme.io") == NameProblem::invalid);
        CHECK(check_dns_name("a\tb.acme.io").reason == "cannot contain the control character 0x09");
    }
    SUBCASE("1412: cannot begin or end with a '-'") {
        CHECK(problem_of("-app.acme.io") == NameProblem::invalid);
        CHECK(problem_of("app.acme.io-") == NameProblem::invalid);
        CHECK(problem_of("app.-acme.io") == NameProblem::invalid);
        CHECK(problem_of("app-.acme.io") == NameProblem::invalid);
    }
    SUBCASE("1412: empty labels, including a leading or trailing dot") {
        CHECK(problem_of("a..b.acme.io") == NameProblem::invalid);
        CHECK(problem_of(".acme.io") == NameProblem::invalid);
        CHECK(problem_of("acme.io.") == NameProblem::invalid);
        CHECK(problem_of(".") == NameProblem::invalid);
    }
    SUBCASE("1412: a label longer than 63 characters") {
        CHECK(problem_of(std::string(63, 'a') + ".acme.io") == NameProblem::none);
        CHECK(problem_of(std::string(64, 'a') + ".acme.io") == NameProblem::invalid);
    }
    SUBCASE("1412: wildcard only as the whole left-most label") {
        CHECK(problem_of("*") == NameProblem::invalid);
        CHECK(problem_of("a.*.com") == NameProblem::invalid);
        CHECK(problem_of("*a.com") == NameProblem::invalid);
        CHECK(problem_of("a*.acme.io") == NameProblem::invalid);
        CHECK(problem_of("*.*.acme.io") == NameProblem::invalid);
        CHECK(problem_of("acme.*") == NameProblem::invalid);
    }
    SUBCASE("1420: wildcard when wildcards are not allowed") {
        NameRules no_wildcard{.allow_wildcard = false};
        CHECK(problem_of("*.shop.acme.io", no_wildcard) == NameProblem::invalid);
        CHECK(problem_of("shop.acme.io", no_wildcard) == NameProblem::none);
    }
}

TEST_CASE("dns name: 1413 SANs with non-ASCII characters are not supported") {
    CHECK(problem_of("bücher.de") == NameProblem::non_ascii);
    CHECK(problem_of("app.acme.io\xff") == NameProblem::non_ascii);
    // Checked before the other invalid rules: they would judge the Unicode form.
    CHECK(problem_of("-bücher.de") == NameProblem::non_ascii);
}

TEST_CASE("dns name: 1414 reserved top domain (test, example, invalid, localhost)") {
    SUBCASE("1414: all four reserved TLDs") {
        CHECK(problem_of("app.test") == NameProblem::reserved_tld);
        CHECK(problem_of("app.example") == NameProblem::reserved_tld);
        CHECK(problem_of("app.invalid") == NameProblem::reserved_tld);
        CHECK(problem_of("app.localhost") == NameProblem::reserved_tld);
        CHECK(problem_of("localhost") == NameProblem::reserved_tld);
        CHECK(problem_of("*.shop.test") == NameProblem::reserved_tld);
    }
    SUBCASE("1414: case-insensitive") {
        CHECK(problem_of("APP.TEST") == NameProblem::reserved_tld);
        CHECK(problem_of("a.Example") == NameProblem::reserved_tld);
        CHECK(problem_of("a.INVALID") == NameProblem::reserved_tld);
        CHECK(problem_of("LocalHost") == NameProblem::reserved_tld);
    }
    SUBCASE("a reserved word elsewhere in the name is fine") {
        CHECK(problem_of("test.acme.io") == NameProblem::none);
        CHECK(problem_of("localhost.acme.io") == NameProblem::none);
    }
}

TEST_CASE("dns name: 1415 unable to parse (publicsuffix reasons)") {
    SUBCASE("1415: the name is itself a public suffix") {
        auto check = check_dns_name("co.uk");
        CHECK(check.problem == NameProblem::unparsable);
        CHECK(check.reason == "publicsuffix: cannot derive eTLD+1 for domain \"co.uk\"");
        check = check_dns_name("com");
        CHECK(check.problem == NameProblem::unparsable);
        CHECK(check.reason == "publicsuffix: cannot derive eTLD+1 for domain \"com\"");
        CHECK(problem_of("CO.UK") == NameProblem::unparsable);
        CHECK(problem_of("blogspot.com") == NameProblem::unparsable);  // private-section suffix
    }
    SUBCASE("1415: a wildcard over a public suffix") {
        auto check = check_dns_name("*.co.uk");
        CHECK(check.problem == NameProblem::unparsable);
        CHECK(check.reason == "publicsuffix: cannot derive eTLD+1 for domain \"co.uk\"");
        CHECK(problem_of("*.com") == NameProblem::unparsable);
    }
    SUBCASE("1415: the TLD is not in the public suffix list") {
        auto check = check_dns_name("foo.notarealtld");
        CHECK(check.problem == NameProblem::unparsable);
        CHECK(check.reason == "publicsuffix: invalid public suffix \"notarealtld\" for domain \"foo.notarealtld\"");
        CHECK(problem_of("Foo.NotARealTLD") == NameProblem::unparsable);
        CHECK(problem_of("foo.123") == NameProblem::unparsable);
        check = check_dns_name("notarealtld");
        CHECK(check.problem == NameProblem::unparsable);
        CHECK(check.reason == "publicsuffix: cannot derive eTLD+1 for domain \"notarealtld\"");
    }
}

TEST_CASE("dns name: 1416 SANs ending in example.com, example.net, or example.org") {
    SUBCASE("1416: the example domains and their subdomains") {
        CHECK(problem_of("example.com") == NameProblem::example_domain);
        CHECK(problem_of("app.example.com") == NameProblem::example_domain);
        CHECK(problem_of("x.example.net") == NameProblem::example_domain);
        CHECK(problem_of("example.org") == NameProblem::example_domain);
        CHECK(problem_of("*.example.com") == NameProblem::example_domain);
        CHECK(problem_of("App.EXAMPLE.Org") == NameProblem::example_domain);
    }
    SUBCASE("a name that only ends in the same letters is fine") {
        CHECK(problem_of("myexample.com") == NameProblem::none);
        CHECK(problem_of("app.myexample.net") == NameProblem::none);
        CHECK(problem_of("example.com.au") == NameProblem::none);
    }
}

TEST_CASE("dns name: safe to call from several threads") {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (std::size_t t = 0; t < failures.size(); ++t)
        threads.emplace_back([&failures, t] {
            for (int i = 0; i < 2000; ++i) {
                if (check_dns_name("app.acme.io").problem != NameProblem::none) ++failures[t];
                if (check_dns_name("foo.notarealtld").problem != NameProblem::unparsable) ++failures[t];
                if (check_dns_name("co.uk").problem != NameProblem::unparsable) ++failures[t];
            }
        });
    for (auto& thread : threads) thread.join();
    for (int f : failures) CHECK(f == 0);
}

TEST_SUITE_END();
