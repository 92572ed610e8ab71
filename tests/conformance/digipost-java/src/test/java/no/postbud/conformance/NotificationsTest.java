package no.postbud.conformance;

import no.digipost.api.client.representations.AuthenticationLevel;
import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.EmailNotification;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.ListedTime;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.MessageStatus;
import no.digipost.api.client.representations.SensitivityLevel;
import no.digipost.api.client.representations.SmsNotification;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NotificationsTest {

    @Test
    void sms_and_email_notifications_with_higher_security_levels_are_accepted_and_echoed() {
        SmsNotification sms = new SmsNotification(List.of(new ListedTime(ZonedDateTime.now().plusDays(2))), List.of(24));
        EmailNotification email = new EmailNotification("ola@example.no", "Nytt brev", "Du har fått brev",
                List.of(new ListedTime(ZonedDateTime.now().plusDays(3))));
        Document primary = new Document(UUID.randomUUID(), "Varslet brev", FileType.PDF, null, sms, email,
                AuthenticationLevel.TWO_FACTOR, SensitivityLevel.SENSITIVE);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(Recipients.MAILBOX_PERSON)
                .build();

        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();

        assertEquals(Channel.DIGIPOST, delivery.getChannel());
        assertEquals(MessageStatus.DELIVERED, delivery.getStatus());
        assertEquals(AuthenticationLevel.TWO_FACTOR, delivery.getPrimaryDocument().authenticationLevel);
        assertEquals(SensitivityLevel.SENSITIVE, delivery.getPrimaryDocument().sensitivityLevel);
    }
}
