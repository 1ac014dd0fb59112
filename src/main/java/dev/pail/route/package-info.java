/** Addressing, query decoding and the sealed set of operations ({@link dev.pail.route.Endpoint}). Uses xml (errors). */
package dev.pail.route;
