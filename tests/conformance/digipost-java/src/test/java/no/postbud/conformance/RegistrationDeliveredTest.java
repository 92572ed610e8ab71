package no.postbud.conformance;

import no.digipost.api.client.representations.Channel;
import no.digipost.api.client.representations.DeliveryStatus;
import no.digipost.api.client.representations.Document;
import no.digipost.api.client.representations.DocumentEvent;
import no.digipost.api.client.representations.DocumentStatus;
import no.digipost.api.client.representations.FileType;
import no.digipost.api.client.representations.Message;
import no.digipost.api.client.representations.MessageDelivery;
import no.digipost.api.client.representations.PersonalIdentificationNumber;
import no.digipost.api.client.representations.RequestForRegistration;
import no.digipost.api.client.representations.accounts.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

import static no.postbud.conformance.Postbud.CLIENT;
import static no.postbud.conformance.Postbud.SENDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A letter waits for its recipient to get a mailbox, then is delivered there: the person registers
 * through the CLI ({@code postbud recipients add --mailbox}) mid-test. Needs the fresh data folder the
 * pytest gives (the newcomer is registered once).
 */
class RegistrationDeliveredTest {

    /** Known to nobody until this test registers them. */
    private static final PersonalIdentificationNumber NEWCOMER = new PersonalIdentificationNumber("02020220026");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void the_letter_is_delivered_in_digipost_once_the_person_has_a_mailbox() throws Exception {
        ZonedDateTime from = ZonedDateTime.now().minusMinutes(1);
        Document primary = new Document(UUID.randomUUID(), "Velkommen", FileType.PDF);
        Message message = Message.newMessage(UUID.randomUUID(), primary)
                .recipient(NEWCOMER)
                .requestForRegistration(new RequestForRegistration(ZonedDateTime.now().plusDays(3),
                        new PhoneNumber("+4741234567"), null, null))
                .build();
        MessageDelivery delivery = CLIENT.createMessage(message).addContent(primary, Pdfs.printable()).send();
        assertEquals(Channel.PENDING, delivery.getChannel());

        registerWithMailbox();

        long deadline = System.nanoTime() + WAIT.toNanos();
        DocumentStatus status = CLIENT.getDocumentStatus(SENDER, primary.uuid);
        while (status.status != DeliveryStatus.DELIVERED) {
            if (System.nanoTime() > deadline) {
                fail("not delivered " + WAIT + " after registration: " + status.status + "/" + status.channel);
            }
            Thread.sleep(500);
            status = CLIENT.getDocumentStatus(SENDER, primary.uuid);
        }
        assertEquals(Channel.DIGIPOST, status.channel);
        // REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST is newer than this client (its enum lacks it): the
        // events page must still be read, the event listed with a type the client does not know.
        List<DocumentEvent> events = CLIENT.getDocumentEvents(SENDER, from, ZonedDateTime.now().plusMinutes(1), 0, 10_000)
                .getEvents().stream().filter(e -> primary.uuid.equals(e.getUuid())).toList();
        assertEquals(1, events.size(), () -> "events of the letter: " + events);
        assertNull(events.get(0).getType());
    }

    private static void registerWithMailbox() throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(Postbud.required("postbud.cli"), "recipients", "add",
                "--id", NEWCOMER.asString(), "--name", "Nina Nykommer", "--mailbox",
                "--data-dir", Postbud.required("postbud.dataDir"))
                .redirectErrorStream(true)
                .start();
        String output = new String(cli.getInputStream().readAllBytes());
        assertEquals(0, cli.waitFor(), output);
    }
}
