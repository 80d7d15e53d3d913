package com.sansam.commerce.media.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Product and review images in S3-compatible storage, from {@code sansam.media.*} (docs/shop.md "Images"). */
@ConfigMapping(prefix = "sansam.media")
public interface MediaConfig {

    /** The S3 API endpoint (S3_ENDPOINT); absent: AWS S3 itself, by region. */
    Optional<URI> endpoint();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("sansam-images")
    String bucket();

    /** Access key and secret (S3_ACCESS_KEY, S3_SECRET_KEY); absent: the SDK's default chain (IAM role, env). */
    Optional<String> accessKey();

    Optional<String> secretKey();

    /** Path-style addressing (endpoint/bucket/key): S3Proxy and MinIO want it. */
    @WithDefault("true")
    boolean pathStyle();

    /** Creates the bucket at start-up when missing (local runs and tests; on Kubernetes the bucket exists). */
    @WithDefault("false")
    boolean createBucket();

    /**
     * Where a public-read bucket serves its objects (IMAGE_PUBLIC_BASE_URL, e.g. a CDN); absent: the bucket is private
     * and every image link answers with a presigned GET valid for {@link #getTtl()}.
     */
    Optional<String> publicBaseUrl();

    @WithDefault("PT15M")
    Duration getTtl();

    /** How long a presigned upload stays usable. */
    @WithDefault("PT10M")
    Duration putTtl();

    /** Largest upload, in bytes. */
    @WithDefault("10485760")
    long maxBytes();

    /**
     * Largest picture, in pixels (width × height, read from the file's header at confirm): decoding takes about 4
     * bytes per pixel, so 40 megapixels bound a thumbnail's memory to about 160 MB whatever the file's size.
     */
    @WithDefault("40000000")
    long maxPixels();

    @WithDefault("10")
    int maxPerProduct();

    @WithDefault("3")
    int maxPerReview();

    /** Width of the listing thumbnail, in pixels (narrower images keep their width). */
    @WithDefault("400")
    int thumbnailWidth();

    /** How often confirmed images without a thumbnail are looked for (a scheduler interval, e.g. 2s). */
    @WithDefault("2s")
    String thumbnailInterval();

    /**
     * A thumbnail that fails (the store away, a decoder failing) is tried again after this delay, doubled at each
     * failure, and set aside after {@link #thumbnailAttempts()} failures (listed without a thumbnail), so a few bad
     * images never hold up the others.
     */
    @WithDefault("PT30S")
    Duration thumbnailRetry();

    @WithDefault("5")
    int thumbnailAttempts();

    /** How often unconfirmed uploads and images of deleted reviews are swept. */
    @WithDefault("1h")
    String sweepInterval();

    /** Uploads never confirmed are deleted, object and all, after this long. */
    @WithDefault("PT24H")
    Duration unconfirmedTtl();
}
