#ifndef SATCHEL_CCURL_SHIM_H
#define SATCHEL_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// One typed wrapper per argument kind, as swift-corelibs-foundation's
// CFURLSessionInterface does.
static inline CURLcode satchel_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode satchel_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode satchel_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode satchel_curl_setopt_write(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode satchel_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode satchel_curl_getinfo_ptr(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
// CURLVERSION_NOW is a macro aliasing an enum case, which Swift does not import.
static inline curl_version_info_data *satchel_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
// Transport additions.
// CURLINFO_CERTINFO hands back a struct curl_certinfo *, not a char *.
static inline CURLcode satchel_curl_getinfo_certinfo(CURL *h, struct curl_certinfo **v) { return curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }
// CURLOPT_XFERINFOFUNCTION takes a different function-pointer type than the write callback.
static inline CURLcode satchel_curl_setopt_xferinfo(CURL *h, CURLoption o, curl_xferinfo_callback v) { return curl_easy_setopt(h, o, v); }
// CURLOPT_DEBUGFUNCTION: the TLS handshake's messages, to notice a server asking for a client certificate.
static inline CURLcode satchel_curl_setopt_debug(CURL *h, curl_debug_callback v) { return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, v); }
#endif
