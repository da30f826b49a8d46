package io.ssegateway.urlpattern;

/** The components of a URL, in the order the URL Pattern standard lists them. */
enum Part { PROTOCOL, USERNAME, PASSWORD, HOSTNAME, PORT, PATHNAME, SEARCH, HASH }
