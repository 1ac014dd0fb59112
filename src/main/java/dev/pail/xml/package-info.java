/** OSS error codes and envelope, response document writer, hardened request document parser. Uses nothing else of Pail. */
package dev.pail.xml;
