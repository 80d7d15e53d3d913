package com.sansam.commerce.media.client;

import com.sansam.commerce.media.config.MediaConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3-compatible object store (AWS SDK v2 with its URLConnection client: S3Proxy in tests and local runs, MinIO or
 * a cloud bucket in production). Every call that goes over the network runs on a worker thread and answers on the
 * caller's Vert.x context, so reactive code may chain database work after it. The SDK retries throttling and 5xx
 * itself (standard retry mode) within a 10 s budget per call.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);

    /** What the store says about an object. */
    public record Head(long size, String contentType) {}

    private final MediaConfig config;
    private final Vertx vertx;
    private final S3Client s3;
    private final S3Presigner presigner;

    public ObjectStore(MediaConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        AwsCredentialsProvider credentials =
                config.accessKey().isPresent() && config.secretKey().isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                config.accessKey().get(), config.secretKey().get()))
                        : DefaultCredentialsProvider.builder().build();
        S3Configuration s3Config = S3Configuration.builder()
                .pathStyleAccessEnabled(config.pathStyle())
                .build();
        var client = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                // checksums only where S3 requires them: S3-compatible stores (S3Proxy, older MinIO) refuse the
                // SDK's newer default checksum headers with 501
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(10))
                        .build());
        var presign = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        config.endpoint().ifPresent(endpoint -> {
            client.endpointOverride(endpoint);
            presign.endpointOverride(endpoint);
        });
        this.s3 = client.build();
        this.presigner = presign.build();
    }

    /**
     * Creates the bucket when missing (local runs and tests: {@code create-bucket}). On Kubernetes the bucket exists and
     * nothing calls this, so the SDK client is built on the first image request, not at start-up.
     */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception missing) { // NoSuchBucket (404), or a store that answers 403 to HEAD of a missing bucket
            try {
                s3.createBucket(b -> b.bucket(config.bucket()));
                LOG.infof("Created bucket %s", config.bucket());
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Bucket %s could not be created (%s): image uploads will fail until it exists",
                        config.bucket(), e);
            }
        } catch (RuntimeException unreachable) {
            LOG.warnf(
                    "Object store unreachable at start-up (%s): image uploads will fail until it answers", unreachable);
        }
    }

    @PreDestroy
    void close() {
        s3.close();
        presigner.close();
    }

    /** A URL the client PUTs the file to, its content type and length bound into the signature. */
    public URI presignPut(String key, String contentType, long size) {
        return URI.create(presigner
                .presignPutObject(p -> p.signatureDuration(config.putTtl())
                        .putObjectRequest(r -> r.bucket(config.bucket())
                                .key(key)
                                .contentType(contentType)
                                .contentLength(size)))
                .url()
                .toString());
    }

    /** Where a browser GETs the object: the public bucket's URL, or a presigned GET valid for the configured TTL. */
    public URI linkTo(String key) {
        if (config.publicBaseUrl().isPresent()) {
            String base = config.publicBaseUrl().get();
            return URI.create((base.endsWith("/") ? base : base + "/") + key);
        }
        return URI.create(presigner
                .presignGetObject(p -> p.signatureDuration(config.getTtl())
                        .getObjectRequest(r -> r.bucket(config.bucket()).key(key)))
                .url()
                .toString());
    }

    public Uni<Optional<Head>> head(String key) {
        return blocking(() -> {
            try {
                HeadObjectResponse head =
                        s3.headObject(r -> r.bucket(config.bucket()).key(key));
                return Optional.of(new Head(head.contentLength(), head.contentType()));
            } catch (S3Exception e) { // NoSuchKey among them
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The first {@code bytes} bytes of the object (fewer if it is shorter). */
    public Uni<byte[]> readStart(String key, int bytes) {
        return blocking(() -> s3.getObjectAsBytes(
                        r -> r.bucket(config.bucket()).key(key).range("bytes=0-" + (bytes - 1)))
                .asByteArray());
    }

    public Uni<byte[]> read(String key) {
        return blocking(() -> {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(r -> r.bucket(config.bucket()).key(key));
            return object.asByteArray();
        });
    }

    public Uni<Void> put(String key, byte[] bytes, String contentType) {
        return blocking(() -> s3.putObject(
                        r -> r.bucket(config.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(bytes)))
                .replaceWithVoid();
    }

    /** Deletes the objects (null keys are skipped); deleting one that is not there succeeds. */
    public Uni<Void> delete(String... keys) {
        return blocking(() -> {
            for (String key : keys) {
                if (key != null) {
                    s3.deleteObject(r -> r.bucket(config.bucket()).key(key));
                }
            }
            return null;
        });
    }

    private <T> Uni<T> blocking(Supplier<T> call) {
        return vertx.executeBlocking(Uni.createFrom().item(call), false);
    }
}
