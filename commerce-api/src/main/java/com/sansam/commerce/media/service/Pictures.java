package com.sansam.commerce.media.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What a file's header says about the picture, read without decoding it: a 4 KB file may announce 26,000 × 26,000
 * pixels, and decoding that takes gigabytes. Blocking: call it off the event loop.
 */
final class Pictures {

    /** ImageIO's readers, scanned once: the WebP reader (TwelveMonkeys) is on the class path. */
    static {
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    private Pictures() {}

    /** A picture's size in pixels. */
    record Size(int width, int height) {

        long pixels() {
            return (long) width * height;
        }
    }

    /** The size the header announces; empty when no reader understands the file. */
    static Optional<Size> size(byte[] file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                return width > 0 && height > 0 ? Optional.of(new Size(width, height)) : Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a header a reader chokes on is no picture
        }
    }

    /** Loads the class (and so the readers) before the first thumbnail. */
    static void load() {}
}
