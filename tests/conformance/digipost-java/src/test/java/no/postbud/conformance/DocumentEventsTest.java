package no.postbud.conformance;

import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentEvent;
import no.digipost.api.client.representations.DocumentEventType;
import no.digipost.api.client.representations.DocumentEvents;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageRecipient;
import no.digipost.api.client.representations.PostmarkedMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DocumentEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void printed_letters_are_postmarked_and_their_events_can_be_paged() throws InterruptedException {
        ZonedDateTime from = ZonedDateTime.now().minusMinutes(1);
        Set<UUID> sent = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Document primary = new Document(UUID.randomUUID(), "Papirbrev " + i, FileType.PDF);
            Message message = Message.newMessage(UUID.randomUUID(), primary)
                    .recipient(new MessageRecipient(Recipients.PAPER_PERSON, Recipients.printDetailsForPaperPerson()))
                    .build();
            CLIENT.createMessage(message).addContent(primary, Pdfs.printable(), Pdfs.printable()).send();
            sent.add(primary.uuid);
        }

        List<DocumentEvent> postmarked = waitForPostmarked(from, sent);
        for (DocumentEvent event : postmarked) {
            assertNotNull(event.getCreated());
            assertNotNull(event.getDocumentCreated());
            assertTrue(event.getMetadata() instanceof PostmarkedMetadata, () -> "metadata: " + event.getMetadata());
        }

        ZonedDateTime to = ZonedDateTime.now().plusMinutes(1);
        int total = CLIENT.getDocumentEvents(SENDER, from, to, 0, 10_000).getEvents().size();
        Set<String> paged = new HashSet<>();
        for (int offset = 0; offset < total; offset++) {
            DocumentEvents page = CLIENT.getDocumentEvents(SENDER, from, to, offset, 1);
            assertEquals(1, page.getEvents().size(), "page at offset " + offset);
            DocumentEvent event = page.getEvents().get(0);
            paged.add(event.getUuid() + "/" + event.getType() + "/" + event.getCreated().toInstant());
        }
        assertEquals(total, paged.size(), "each page holds a different event");
        assertTrue(CLIENT.getDocumentEvents(SENDER, from, to, total, 10).getEvents().isEmpty());
    }

    private static List<DocumentEvent> waitForPostmarked(ZonedDateTime from, Set<UUID> documents)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<DocumentEvent> postmarked = CLIENT
                    .getDocumentEvents(from, ZonedDateTime.now().plusMinutes(1), 0, 10_000)
                    .getEvents().stream()
                    .filter(e -> e.getType() == DocumentEventType.POSTMARKED && documents.contains(e.getUuid()))
                    .toList();
            if (postmarked.size() == documents.size()) {
                return postmarked;
            }
            if (System.nanoTime() > deadline) {
                fail("POSTMARKED events after " + WAIT + ": " + postmarked.size() + " of " + documents.size());
            }
            Thread.sleep(500);
        }
    }
}
