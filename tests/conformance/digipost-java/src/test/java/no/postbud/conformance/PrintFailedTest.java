package no.postbud.conformance;

import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentEvent;
import no.digipost.api.client.representations.DocumentEventType;
import no.digipost.api.client.representations.FailedPrintMetadata;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** The print house fails (a fault injected through Postbud's sandbox API): the sender reads PRINT_FAILED. */
class PrintFailedTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REASON = "Papirstopp i skriveren";

    @Test
    void a_failed_print_is_a_print_failed_event_with_its_reason() throws Exception {
        ZonedDateTime from = ZonedDateTime.now().minusMinutes(1);
        Document primary = new Document(UUID.randomUUID(), "Feiler i print", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .printDetails(Recipients.printDetailsForPaperPerson())
                .build();

        printFault("PUT", "{\"probability\": 1, \"error\": \"" + REASON + "\"}");
        try {
            CLIENT.createPrintOnlyMessage(message).addContent(primary, Pdfs.printable()).send();
            DocumentEvent failed = waitFor(from, primary.uuid);
            FailedPrintMetadata metadata = assertInstanceOf(FailedPrintMetadata.class, failed.getMetadata());
            assertEquals(REASON, metadata.errorCode);
        } finally {
            printFault("DELETE", null);
        }
    }

    private static DocumentEvent waitFor(ZonedDateTime from, UUID document) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<DocumentEvent> failed = CLIENT
                    .getDocumentEvents(SENDER, from, ZonedDateTime.now().plusMinutes(1), 0, 10_000).getEvents().stream()
                    .filter(e -> document.equals(e.getUuid()) && e.getType() == DocumentEventType.PRINT_FAILED)
                    .findFirst();
            if (failed.isPresent()) {
                return failed.get();
            }
            if (System.nanoTime() > deadline) {
                fail("no PRINT_FAILED " + WAIT + " after sending");
            }
            Thread.sleep(500);
        }
    }

    private static void printFault(String method, String json) throws IOException, InterruptedException {
        URI base = URI.create(Postbud.required("postbud.url"));
        String adminToken = Files.readString(Path.of(Postbud.required("postbud.dataDir"), "admin-token")).strip();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/sandbox/faults/channels/print"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " print fault: " + response.statusCode() + " " + response.body());
        }
    }
}
