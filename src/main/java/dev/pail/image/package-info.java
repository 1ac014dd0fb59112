/**
 * Image processing ({@code x-oss-process=image/...}, features.md §8): the parsed pipeline
 * ({@link dev.pail.image.ImageOp}, {@link dev.pail.image.ProcessParser}) and the engines that run it.
 * Uses xml (errors).
 */
package dev.pail.image;
