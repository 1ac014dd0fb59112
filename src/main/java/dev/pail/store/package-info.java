/** Metadata (SQLite) and object bytes (files). Uses xml (errors raised inside transactions). */
package dev.pail.store;
