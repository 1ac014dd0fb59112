/** Netty server, per-connection request handling, body bridge, response writing. Uses route, ops, xml. */
package dev.pail.http;
