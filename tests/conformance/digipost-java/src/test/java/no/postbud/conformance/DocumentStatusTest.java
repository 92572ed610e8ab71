package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.DeliveryStatus;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentStatus;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageRecipient;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
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

    @Test
    void a_printed_letter_is_delivered_by_print() {
        Document primary = new Document(UUID.randomUUID(), "Status papir", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new MessageRecipient(Recipients.PAPER_PERSON, Recipients.printDetailsForPaperPerson()))
                .build();
        CLIENT.createMessage(message).addContent(primary, Pdfs.printable(), Pdfs.printable()).send();

        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);

        assertEquals(DeliveryStatus.DELIVERED, status.status);
        assertEquals(Channel.PRINT, status.channel);
    }

    @Test
    void a_held_letter_is_not_delivered_yet() {
        Document primary = new Document(UUID.randomUUID(), "Holdt tilbake", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .deliveryTime(ZonedDateTime.now().plusDays(2))
                .build();
        CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);

        assertEquals(DeliveryStatus.NOT_DELIVERED, status.status);
    }
}
