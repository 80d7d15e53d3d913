package com.sansam.commerce.support;

import com.sansam.runtime.testing.TestJvm;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for the tests: S3Proxy with its filesystem backend, as its own process (the jar Maven copies to
 * {@code target/s3proxy}, kept off the test class path), on a free loopback port, with an empty directory each run.
 * Tests look into the bucket with their own S3 client.
 */
public class TestS3 implements QuarkusTestResourceLifecycleManager {

    static final String BUCKET = "sansam-images-test";
    private static final String IDENTITY = "test-identity";
    private static final String CREDENTIAL = "test-credential";
    private static Process process;
    private static URI endpoint;

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path target = Path.of("target");
            Path data = target.resolve("s3proxy-data");
            if (Files.exists(data)) {
                try (Stream<Path> old = Files.walk(data)) {
                    old.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(data);
            endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = target.resolve("s3proxy.properties");
            Files.writeString(
                    properties,
                    String.join(
                                    "\n",
                                    "s3proxy.endpoint=" + endpoint,
                                    "s3proxy.authorization=aws-v2-or-v4",
                                    "s3proxy.identity=" + IDENTITY,
                                    "s3proxy.credential=" + CREDENTIAL,
                                    "s3proxy.cors-allow-all=true",
                                    "jclouds.provider=filesystem",
                                    "jclouds.filesystem.basedir=" + data.toAbsolutePath())
                            + "\n");
            Path jar = target.resolve("s3proxy/s3proxy.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: run the tests through Maven (process-test-resources copies it)");
            }
            process = new ProcessBuilder(TestJvm.command("-jar", jar.toString(), "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(target.resolve("s3proxy.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("S3Proxy did not start; see target/s3proxy.log");
                    }
                    Thread.sleep(200);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of(
                "sansam.media.endpoint",
                endpoint.toString(),
                "sansam.media.access-key",
                IDENTITY,
                "sansam.media.secret-key",
                CREDENTIAL,
                "sansam.media.bucket",
                BUCKET);
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    /** The keys of the objects in the test bucket now. */
    public static List<String> keys() {
        try (S3Client s3 = client()) {
            // the filesystem backend also lists its directories ("products/7/"): objects only
            return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key)
                    .filter(key -> !key.endsWith("/"))
                    .toList();
        }
    }

    /** Stores an object as it is, past every check of the API (data left by an older release, for example). */
    public static void put(String key, byte[] bytes) {
        try (S3Client s3 = client()) {
            s3.putObject(r -> r.bucket(BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        }
    }

    private static S3Client client() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
