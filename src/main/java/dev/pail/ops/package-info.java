/** One class per operation family, the dispatcher, and the response model. Uses auth, route, store, xml, checksum. */
package dev.pail.ops;
