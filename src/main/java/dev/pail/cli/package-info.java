/** Command line, configuration and server assembly. May use every other package. */
package dev.pail.cli;
