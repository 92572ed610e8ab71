package no.postbud.conformance;

import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.OrganisationNumber;
import no.digipost.api.client.representations.inbox.Inbox;
import no.digipost.api.client.representations.inbox.InboxDocument;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender reads its own organisation's received mail: the pytest gives the sender's organisation
 * number (Recipients.OWN_ORGANISATION) a mailbox, and letters sent to it land in this inbox.
 */
class InboxTest {

    private static Optional<InboxDocument> find(String subject) {
        Inbox inbox = CLIENT.getInbox(SENDER, 0, 1000);
        return inbox.documents.stream().filter(d -> subject.equals(d.getSubject())).findFirst();
    }

    private static byte[] sendToOwnOrganisation(String subject) {
        Document primary = new Document(UUID.randomUUID(), subject, FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new OrganisationNumber(Recipients.OWN_ORGANISATION))
                .build();
        byte[] pdf = Pdfs.printable();
        CLIENT.createMessage(message).addContent(primary, pdf).send();
        return pdf;
    }

    @Test
    void a_received_letter_is_listed_read_through_its_one_time_link_and_deleted() throws IOException {
        String subject = "Til oss selv " + UUID.randomUUID();
        byte[] pdf = sendToOwnOrganisation(subject);

        InboxDocument received = find(subject).orElseThrow(() -> new AssertionError("not in the inbox"));
        assertEquals("Konformanse Kommune", received.getSender());
        assertEquals("application/pdf", received.getContentType());
        assertNotNull(received.getDeliveryTime());
        assertNotNull(received.getContentUri());
        assertNotNull(received.getDeleteUri());

        try (InputStream content = CLIENT.getInboxDocumentContent(received)) {
            assertArrayEquals(pdf, content.readAllBytes());
        }
        assertNotNull(find(subject).orElseThrow().getFirstAccessed());

        CLIENT.deleteInboxDocument(received);
        assertTrue(find(subject).isEmpty());
    }

    @Test
    void offset_and_limit_page_the_inbox_newest_first() {
        String older = "Eldre " + UUID.randomUUID();
        String newer = "Nyere " + UUID.randomUUID();
        sendToOwnOrganisation(older);
        sendToOwnOrganisation(newer);

        Inbox first = CLIENT.getInbox(SENDER, 0, 1);
        assertEquals(1, first.documents.size());
        assertEquals(newer, first.documents.get(0).getSubject());
        assertEquals(older, CLIENT.getInbox(SENDER, 1, 1).documents.get(0).getSubject());
    }
}
