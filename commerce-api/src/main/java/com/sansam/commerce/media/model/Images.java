package com.sansam.commerce.media.model;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the images feature hands out: upload tickets and stored images. */
public final class Images {

    private Images() {}

    /** Whose image it is: where its objects live in the bucket and where the owner's images are in the API. */
    public enum Owner {
        PRODUCT("products/", "/api/v1/admin/products/"),
        REVIEW("reviews/", "/api/v1/reviews/");

        public final String storagePrefix;
        public final String apiPath;

        Owner(String storagePrefix, String apiPath) {
            this.storagePrefix = storagePrefix;
            this.apiPath = apiPath;
        }
    }

    /** The image types accepted, each with its file extension. */
    public enum Type {
        JPEG("image/jpeg", "jpg"),
        PNG("image/png", "png"),
        WEBP("image/webp", "webp");

        public final String mediaType;
        public final String extension;

        Type(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public static Type of(String mediaType) {
            for (Type type : values()) {
                if (type.mediaType.equalsIgnoreCase(mediaType)) {
                    return type;
                }
            }
            return null;
        }

        /** The type the file's first bytes say it is (its signature), or null when it is none of these. */
        public static Type sniff(byte[] start) {
            if (start.length >= 3
                    && (start[0] & 0xff) == 0xff
                    && (start[1] & 0xff) == 0xd8
                    && (start[2] & 0xff) == 0xff) {
                return JPEG;
            }
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
            if (start.length >= png.length && java.util.Arrays.equals(start, 0, png.length, png, 0, png.length)) {
                return PNG;
            }
            if (start.length >= 12
                    && start[0] == 'R'
                    && start[1] == 'I'
                    && start[2] == 'F'
                    && start[3] == 'F'
                    && start[8] == 'W'
                    && start[9] == 'E'
                    && start[10] == 'B'
                    && start[11] == 'P') {
                return WEBP;
            }
            return null;
        }
    }

    /**
     * Where and how to upload: PUT the file to {@code uploadUrl} with exactly these headers before {@code expiresAt},
     * then confirm the image.
     */
    public record UploadTicket(
            long imageId,
            URI uploadUrl,
            String method,
            Map<String, String> headers,
            Instant expiresAt,
            String confirmUrl) {}

    /**
     * A confirmed image: stable links to it and its listing thumbnail, in its owner's order (0 = main), and its size
     * in pixels (null for images confirmed before sizes were recorded).
     */
    public record StoredImage(
            long id,
            String url,
            String thumbnailUrl,
            String contentType,
            long size,
            int position,
            Integer width,
            Integer height) {}

    /** A new order of an owner's images: every confirmed image id, once each. */
    public record NewOrder(List<Long> imageIds) {}

    /** What the client is about to upload. */
    public record UploadRequest(String contentType, Long size) {}
}
