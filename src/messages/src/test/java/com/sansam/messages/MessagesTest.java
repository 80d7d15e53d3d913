package com.sansam.messages;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec both sides of the broker use, and what this module may depend on. */
class MessagesTest {

    @Test
    void aMessageReadsBackAsItWasWritten() {
        StockCommands.ReserveStock sent = new StockCommands.ReserveStock(
                "ORD-1", List.of(new StockCommands.Line("SKU-1", 2)), Instant.parse("2026-12-06T10:15:30Z"));
        Envelope wrapped = Messages.wrap("order", "ORD-1", sent);

        Envelope received = Messages.envelope(Messages.toJson(wrapped));

        assertEquals("ReserveStock", received.type());
        assertEquals("order", received.aggregateType());
        assertEquals("ORD-1", received.aggregateId());
        assertEquals(wrapped.messageId(), received.messageId());
        assertEquals(sent, Messages.payload(received, StockCommands.ReserveStock.class));
        assertTrue(Messages.toJson(wrapped).contains("\"2026-12-06T10:15:30Z\""), "instants travel as ISO-8601");
    }

    @Test
    void aBundleGivesBackEachEnvelopeAndItsTraceInOrder() {
        Envelope first = Messages.wrap("order", "ORD-3", new StockEvents.StockReserved("ORD-3"));
        Envelope second = Messages.wrap("sku", "SKU-3", new StockCommands.CommitReservation("ORD-4"));
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        String body = Bundles.of(List.of(
                new Bundles.Entry(Messages.toJson(first), trace), new Bundles.Entry(Messages.toJson(second), null)));
        List<Bundles.Entry> entries = Bundles.entries(body);

        assertTrue(Bundles.isBundle(body));
        assertTrue(!Bundles.isBundle(Messages.toJson(first)), "an envelope is never taken for a bundle");
        assertEquals(2, entries.size());
        assertEquals(
                first.messageId(), Messages.envelope(entries.get(0).envelope()).messageId());
        assertEquals(
                first.payload(), Messages.envelope(entries.get(0).envelope()).payload());
        assertEquals(trace, entries.get(0).traceParent());
        assertEquals(
                second.messageId(), Messages.envelope(entries.get(1).envelope()).messageId());
        assertEquals(null, entries.get(1).traceParent());
        assertThrows(IllegalArgumentException.class, () -> Bundles.entries(Bundles.PREFIX + "]}"));
        assertThrows(IllegalArgumentException.class, () -> Bundles.entries(Bundles.PREFIX + "{\"envelope\":1}]}"));
        assertThrows(IllegalArgumentException.class, () -> Bundles.entries(Bundles.PREFIX + "{"));
    }

    @Test
    void fieldsANewerSenderAddsAreIgnored() {
        String json = Messages.toJson(Messages.wrap("order", "ORD-2", new StockCommands.CommitReservation("ORD-2")))
                .replace("\"orderId\":\"ORD-2\"", "\"orderId\":\"ORD-2\",\"addedLater\":true");

        assertEquals(
                new StockCommands.CommitReservation("ORD-2"),
                Messages.payload(Messages.envelope(json), StockCommands.CommitReservation.class));
    }

    @Test
    void whatIsNotAnEnvelopeIsRefusedSayingWhy() {
        IllegalArgumentException notJson =
                assertThrows(IllegalArgumentException.class, () -> Messages.envelope("{not json"));
        assertTrue(notJson.getMessage().startsWith("Not a message envelope"), notJson.getMessage());
        IllegalArgumentException incomplete =
                assertThrows(IllegalArgumentException.class, () -> Messages.envelope("{\"type\":\"ReserveStock\"}"));
        assertEquals("Envelope lacks messageId, type or payload", incomplete.getMessage());
    }

    @Test
    void messagesArePlainRecordsWithoutAFramework() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("com.sansam.messages..", "java..", "com.fasterxml.jackson..")
                .because("both sides of a contract read it; it knows no service, runtime or framework")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.sansam.messages"));
    }
}
