/**
 * Upload callbacks (features.md §9): parsing the callback configuration of an upload, expanding the
 * body template, signing (own RSA key pair), delivering it under an SSRF policy and reporting the
 * outcome. Entry point: {@link dev.pail.callback.CallbackService}. Uses route (OssRequest), xml (errors).
 */
package dev.pail.callback;
