/** CRC-64/XZ as OSS uses it (x-oss-hash-crc64ecma), with combine. Uses nothing else of Pail. */
package dev.pail.checksum;
