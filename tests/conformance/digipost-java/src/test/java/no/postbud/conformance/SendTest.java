package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.MessageRecipient;
import no.digipost.api.client.representations.MessageStatus;
import no.digipost.api.client.representations.NameAndAddress;
import no.digipost.api.client.representations.OrganisationNumber;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class SendTest {

    @Test
    void a_letter_to_a_mailbox_owner_is_delivered_in_digipost() {
        Document primary = new Document(UUID.randomUUID(), "Vedtak", FileType.PDF);
        Document attachment = new Document(UUID.randomUUID(), "Vedlegg", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .attachments(attachment)
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message)
                .addContent(primary, Pdfs.printable())
                .addContent(attachment, Pdfs.printable())
                .send();

        assertEquals(message.messageId, delivery.getMessageId());
        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
        assertNotNull(delivery.getDeliveryTime());
        assertEquals(primary.uuid, delivery.getPrimaryDocument().uuid);
        assertEquals("Vedtak", delivery.getPrimaryDocument().subject);
        assertEquals(1, delivery.getAttachments().size());
        assertEquals(attachment.uuid, delivery.getAttachments().get(0).uuid);
    }

    @Test
    void a_letter_to_a_person_without_mailbox_falls_back_to_print() {
        Document primary = new Document(UUID.randomUUID(), "Brev på papir", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new MessageRecipient(Recipients.PAPER_PERSON, Recipients.printDetailsForPaperPerson()))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message)
                .addContent(primary, Pdfs.printable(), Pdfs.printable())
                .send();

        assertEquals(Channel.PRINT, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED_TO_PRINT, delivery.getStatus());
        assertNotNull(delivery.getDeliveryTime());
        assertEquals("Brev på papir", delivery.getPrimaryDocument().subject);
    }

    /** Identification of this name and address answers DIGIPOST; the letter goes to that mailbox. */
    @Test
    void a_letter_to_a_name_and_address_goes_to_the_mailbox_identification_finds() {
        Document primary = new Document(UUID.randomUUID(), "Til navn og adresse", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new NameAndAddress("Ola Nordmann", "Storgata 1", null, "0155", "Oslo"))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message)
                .addContent(primary, Pdfs.printable())
                .send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
    }

    @Test
    void a_print_only_letter_goes_to_print() {
        Document primary = new Document(UUID.randomUUID(), "Direkte print", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .printDetails(Recipients.printDetailsForPaperPerson())
                .build();

        MessageDelivery delivery = CLIENT.createPrintOnlyMessage(message)
                .addContent(primary, Pdfs.printable())
                .send();

        assertEquals(Channel.PRINT, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED_TO_PRINT, delivery.getStatus());
        assertEquals("Direkte print", delivery.getPrimaryDocument().subject);
    }

    @Test
    void a_letter_with_a_delivery_time_is_complete_and_held() {
        Document primary = new Document(UUID.randomUUID(), "Sendes i morgen", FileType.PDF);
        ZonedDateTime tomorrow = ZonedDateTime.now().plusDays(1);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .deliveryTime(tomorrow)
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(MessageStatus.COMPLETE, delivery.getStatus());
        assertEquals(tomorrow.toInstant().toEpochMilli(), delivery.getDeliveryTime().toInstant().toEpochMilli());
    }

    @Test
    void a_letter_to_an_organisation_with_a_mailbox_is_delivered_in_digipost() {
        Document primary = new Document(UUID.randomUUID(), "Til bedriften", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(new OrganisationNumber(Recipients.MAILBOX_ORGANISATION))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
    }

    @Test
    void an_html_letter_is_delivered_in_digipost() {
        Document primary = new Document(UUID.randomUUID(), "HTML-brev", FileType.HTML);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message)
                .addContent(primary, "<html><body><p>Hei</p></body></html>".getBytes(StandardCharsets.UTF_8))
                .send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
        assertEquals("html", delivery.getPrimaryDocument().getDigipostFileType());
    }
}
