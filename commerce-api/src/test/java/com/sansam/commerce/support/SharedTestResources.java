package com.sansam.commerce.support;

import com.sansam.runtime.testing.CleanRedis;
import com.sansam.runtime.testing.TestOtlpReceiver;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real components every commerce-api test runs against, started once: a clean test Redis database, the
 * packaged stock-worker as its own process, the Toss simulator, an SMTP server (GreenMail), an OTLP trace receiver and an S3 server (S3Proxy). PostgreSQL and RabbitMQ are the machine's.
 */
@QuarkusTestResource(value = CleanRedis.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = StockWorkerProcess.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TossSimulator.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmsSimulator.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestSmtp.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOtlpReceiver.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestS3.class, restrictToAnnotatedClass = false)
public final class SharedTestResources {

    private SharedTestResources() {}
}
