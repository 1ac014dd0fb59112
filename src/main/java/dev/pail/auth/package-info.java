/** V1/V4 signatures (header and presigned), security tokens, anonymous ACL rules. Uses route (Query), xml (errors). */
package dev.pail.auth;
