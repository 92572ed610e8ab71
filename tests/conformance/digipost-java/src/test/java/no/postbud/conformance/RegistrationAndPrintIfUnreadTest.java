package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.DeliveryStatus;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentStatus;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.MessageStatus;
import no.digipost.api.client.representations.PersonalIdentificationNumber;
import no.digipost.api.client.representations.PrintIfUnread;
import no.digipost.api.client.representations.RequestForRegistration;
import no.digipost.api.client.representations.accounts.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistrationAndPrintIfUnreadTest {

    @Test
    void a_request_for_registration_to_a_mailbox_owner_is_delivered_at_once() {
        MessageDelivery delivery = send(Recipients.MAILBOX_PERSON, new RequestForRegistration(
                ZonedDateTime.now().plusDays(7), new PhoneNumber("+4741234567"), null,
                Recipients.printDetailsForPaperPerson()));

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
    }

    @Test
    void a_request_for_registration_to_someone_without_mailbox_waits() {
        Document primary = new Document(UUID.randomUUID(), "Registrer deg", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.UNKNOWN_PERSON)
                .requestForRegistration(new RequestForRegistration(ZonedDateTime.now().plusDays(7),
                        new PhoneNumber("41234567"), null, Recipients.printDetailsForPaperPerson()))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.PENDING, delivery.getChannel());
        assertEquals(MessageStatus.COMPLETE, delivery.getStatus());
        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);
        assertEquals(DeliveryStatus.NOT_DELIVERED, status.status);
        assertEquals(Channel.PENDING, status.channel);
    }

    @Test
    void print_if_unread_is_delivered_in_digipost_first() {
        Document primary = new Document(UUID.randomUUID(), "Skrives ut om ulest", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .printIfUnread(new PrintIfUnread(ZonedDateTime.now().plusDays(7), Recipients.printDetailsForPaperPerson()))
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
    }

    private static MessageDelivery send(PersonalIdentificationNumber pin, RequestForRegistration request) {
        Document primary = new Document(UUID.randomUUID(), "Registrer deg", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(pin)
                .requestForRegistration(request)
                .build();
        return CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();
    }
}
