package com.sansam.commerce.media.client;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/**
 * The AWS SDK's checksums in a native image. The SDK uses the AWS Common Runtime (aws-crt, native code) for some
 * checksums when that optional library is on the class path, and reaches for its classes from
 * {@code ChecksumProvider}; this service does not ship aws-crt, so those classes do not exist, and a native image
 * (which links every class at build time, as Quarkus asks) refuses the references. These substitutions answer what the
 * SDK itself answers when aws-crt is missing: CRC32C from Java, and the CRT-only algorithms refused with the SDK's
 * message. The JVM never sees them (only the native-image builder reads {@link TargetClass}).
 */
final class NativeS3Checksums {

    private NativeS3Checksums() {}

    @TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
    static final class Target_ChecksumProvider {

        /** The SDK falls back to Java's CRC32C when this answers null. */
        @Substitute
        static SdkChecksum createCrtCrc32C() {
            return null;
        }

        @Substitute
        static SdkChecksum crc64NvmeCrtImplementation() {
            throw new RuntimeException(
                    "Could not load software.amazon.awssdk.crt.checksums.CRC64NVME: aws-crt is not in this image");
        }

        @Substitute
        static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
            throw new RuntimeException("Could not load the XXHash checksum for algorithm " + algorithm.algorithmId()
                    + ": aws-crt is not in this image");
        }
    }
}
