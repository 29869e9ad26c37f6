#pragma once
// Private to crypto/: RAII owners for OpenSSL objects and the error-queue discipline.
// Nothing outside crypto/ includes this file; public headers speak PEM strings.
#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/error.hpp"

namespace crypto::detail {

// Zero-size deleter: a unique_ptr with it is exactly one pointer wide.
template <auto FreeFn>
struct Free {
    template <class T>
    void operator()(T* p) const noexcept { FreeFn(p); }
};

using Bio = std::unique_ptr<BIO, Free<BIO_free_all>>;
using Bignum = std::unique_ptr<BIGNUM, Free<BN_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;
using X509Req = std::unique_ptr<X509_REQ, Free<X509_REQ_free>>;
using X509Name = std::unique_ptr<X509_NAME, Free<X509_NAME_free>>;
using X509Store = std::unique_ptr<X509_STORE, Free<X509_STORE_free>>;
using X509StoreCtx = std::unique_ptr<X509_STORE_CTX, Free<X509_STORE_CTX_free>>;
using X509Extension = std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION_free>>;
using X509Extensions = std::unique_ptr<STACK_OF(X509_EXTENSION), Free<+[](STACK_OF(X509_EXTENSION)* s) {
    sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}>>;
using X509Stack = std::unique_ptr<STACK_OF(X509), Free<+[](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Free<GENERAL_NAMES_free>>;
using GeneralName = std::unique_ptr<GENERAL_NAME, Free<GENERAL_NAME_free>>;
using Asn1String = std::unique_ptr<ASN1_STRING, Free<ASN1_STRING_free>>;
using Md = std::unique_ptr<EVP_MD, Free<EVP_MD_free>>;
using Asn1Integer = std::unique_ptr<ASN1_INTEGER, Free<ASN1_INTEGER_free>>;
using Asn1Time = std::unique_ptr<ASN1_TIME, Free<ASN1_TIME_free>>;
using OsslString = std::unique_ptr<char, Free<+[](char* p) { OPENSSL_free(p); }>>;

// Every operation starts with an empty error queue, so the text we report is this operation's.
inline void clear_errors() noexcept { ERR_clear_error(); }

// Drains the queue into "<what>: <openssl reason>; <reason>..." and throws crypto::Error.
[[noreturn]] void throw_error(std::string_view what);

// Throws unless ok; the usual shape of an OpenSSL call check.
inline void check(bool ok, std::string_view what) {
    if (!ok) throw_error(what);
}

// Password callback for every PEM read: an encrypted PEM fails instead of OpenSSL prompting on
// the terminal (which would block a server). Usable as pem_password_cb.
int refuse_password(char* buf, int size, int rwflag, void* userdata) noexcept;

// A memory BIO reading the given bytes (no copy; the view must outlive the BIO).
Bio read_bio(std::string_view bytes);
// An empty memory BIO to write into, and its contents as a string.
Bio write_bio();
std::string bio_contents(BIO* bio);

}  // namespace crypto::detail
