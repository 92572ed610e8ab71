package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.DeliveryStatus;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentStatus;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class DocumentStatusTest {

    @Test
    void a_delivered_letter_has_its_status_and_channel() {
        Document primary = new Document(UUID.randomUUID(), "Status", FileType.PDF);
        Document attachment = new Document(UUID.randomUUID(), "Vedlegg", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .attachments(attachment)
                .build();
        CLIENT.createMessage(message)
                .addContent(primary, Pdfs.printable())
                .addContent(attachment, Pdfs.printable())
                .send();

        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);

        assertEquals(primary.uuid, status.uuid);
        assertEquals(DeliveryStatus.DELIVERED, status.status);
        assertEquals(Channel.DIGIPOST, status.channel);
        assertNotNull(status.created);
        assertNotNull(status.delivered);
        assertEquals(1, status.getAttachments().size());
        assertEquals(attachment.uuid, status.getAttachments().get(0).uuid);
    }
}
