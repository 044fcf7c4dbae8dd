/*! jQuery v1.8.1 jquery.com | jquery.org/license */
// Bad fixture: only the banner of a jQuery release with known CVEs (retire.js matches the banner); no library code.
