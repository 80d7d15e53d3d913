package com.sansam.commerce.catalog.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a product's image URLs name images uploaded to the shop's own storage: {@code /api/v1/images/{id}}, a stable
 * link that redirects to the object (public bucket or a fresh presigned GET), with {@code /thumbnail} for listings.
 * A product's {@code imageUrls} are its uploaded images in their order, then any URLs an admin typed in.
 */
public final class ImageLinks {

    private static final String PREFIX = "/api/v1/images/";
    private static final Pattern UPLOADED = Pattern.compile("/api/v1/images/\\d+");

    private ImageLinks() {}

    public static String original(long imageId) {
        return PREFIX + imageId;
    }

    public static String thumbnail(long imageId) {
        return PREFIX + imageId + "/thumbnail";
    }

    public static boolean isUploaded(String url) {
        return url != null && UPLOADED.matcher(url).matches();
    }

    /** The image a listing shows for a product's main image: the thumbnail when it is an uploaded one. */
    public static String forListing(List<String> imageUrls) {
        if (imageUrls == null || imageUrls.isEmpty()) {
            return null;
        }
        String main = imageUrls.get(0);
        return isUploaded(main) ? main + "/thumbnail" : main;
    }

    /** Uploaded images (in this order) first, then the typed-in URLs of {@code current}. */
    public static List<String> withUploaded(List<String> uploaded, List<String> current) {
        List<String> urls = new ArrayList<>(uploaded);
        if (current != null) {
            current.stream().filter(url -> !isUploaded(url)).forEach(urls::add);
        }
        return urls;
    }

    /** An admin's new typed-in URLs, keeping the uploaded images of {@code current} where they were (first). */
    public static List<String> withTyped(List<String> current, List<String> typed) {
        List<String> urls = new ArrayList<>();
        if (current != null) {
            current.stream().filter(ImageLinks::isUploaded).forEach(urls::add);
        }
        typed.stream().filter(url -> !isUploaded(url)).forEach(urls::add);
        return urls;
    }
}
